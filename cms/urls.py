from allauth.account import views as account_views
from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps import Sitemap as PageSitemap
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from network.blog.sitemaps import PostSitemap

from . import views

# allauth is the one way in: it asks for the second factor, counts failed passwords and insists on a verified
# address. Wagtail's own sign-in forms (the admin's, and the one for restricted pages at /_util/login/) would
# skip all three, so their addresses lead to allauth's instead; these come first, so they win.
# tests/cms/test_sign_in_routes.py walks the whole URL map to keep it so.
to_sign_in = RedirectView.as_view(pattern_name="account_login", query_string=True)
sign_in_overrides = [
    path("admin/login/", to_sign_in),
    path("_util/login/", to_sign_in),
    # allauth's sign-out asks on GET and signs out on a POST with a CSRF token (the admin menu POSTs here).
    path("admin/logout/", account_views.logout),
]

urlpatterns = sign_in_overrides + [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("network/", include("network.urls")),
    path("visits/", include("visits.urls")),
    path("sitemap.xml", sitemap, {"sitemaps": {"pages": PageSitemap, "blog": PostSitemap}}, name="sitemap"),
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
