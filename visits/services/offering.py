"""TODO offering"""

__all__: list[str] = []
