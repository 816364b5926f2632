from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def visit_list(request: HttpRequest) -> HttpResponse:
    """Study visits on offer (the booking capability arrives with the visits issue)."""
    return render(request, "visits/visit_list.html")
