from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def network_home(request: HttpRequest) -> HttpResponse:
    """The signed-in landing page of the network."""
    return render(request, "network/network_home.html")
