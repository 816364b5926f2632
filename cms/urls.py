from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("network/", include("network.urls")),
    path("visits/", include("visits.urls")),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("search/", views.search, name="search"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Only images are plain files; documents go through Wagtail's view, which checks who may see them.
    for folder in ("images", "original_images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=f"{settings.MEDIA_ROOT}/{folder}"
        )

urlpatterns += [path("", include(wagtail_urls))]

handler403 = "cms.views.permission_denied"
handler404 = "cms.views.page_not_found"
handler500 = "cms.views.server_error"
