"""TODO hosting"""

__all__: list[str] = []
