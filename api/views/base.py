"""What every endpoint shares: the order of checks, and reading the body."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, views

SUSPENDED = _("Your account is suspended: you cannot use the API until the suspension ends.")


class Refused(exceptions.APIException):
    """A service's refusal (its message and HTTP status) as the API's error."""

    def __init__(self, refusal):
        super().__init__(detail=refusal.message)
        self.status_code = refusal.status
        self.wait = getattr(refusal, "retry_after", None)  # DRF sends it as Retry-After


# A DRF view that checks, in order: the method (405, as Flask routes do before anything else), the
# credentials, the rate limits, then the permissions. DRF checks rates last, after a failed login has
# already been answered with a 401, so password guesses would never be counted; here a request whose
# credentials fail is counted against its IP first. (A comment, not a docstring: drf-spectacular would
# publish a docstring as every endpoint's description.)
class APIView(views.APIView):
    # No OPTIONS: the API is what the schema documents (and cross-origin requests are not served).
    http_method_names = ["get", "post", "put", "patch", "delete", "head"]

    def initial(self, request, *args, **kwargs):
        method = request.method.lower()
        if method not in self.http_method_names or not hasattr(self, method):
            raise exceptions.MethodNotAllowed(request.method)
        self.format_kwarg = self.get_format_suffix(**kwargs)
        request.accepted_renderer, request.accepted_media_type = self.perform_content_negotiation(request)
        request.version, request.versioning_scheme = self.determine_version(request, *args, **kwargs)
        try:
            self.perform_authentication(request)
        except exceptions.APIException:
            self.check_throttles(request)
            raise
        self.check_throttles(request)
        if request.user.is_authenticated and request.user.is_suspended:
            raise exceptions.PermissionDenied(SUSPENDED)
        self.check_permissions(request)

    def payload(self, request):
        """The JSON body. A body sent without a Content-Type is a 415 (DRF would read it as ``{}``)."""
        if not request.content_type and request.stream is not None:
            raise exceptions.UnsupportedMediaType(
                "", detail=_("Send a JSON body, with Content-Type: application/json.")
            )
        return request.data


def get_or_404(queryset, pk):
    """The object, or a 404 that names what was missing ("There is no post 12.")."""
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist as error:
        raise not_found(queryset.model, pk) from error


def not_found(model, pk):
    """The 404 for a missing (or hidden) object: "There is no post 12."."""
    return exceptions.NotFound(
        _("There is no %(thing)s %(id)s.") % {"thing": model._meta.verbose_name, "id": pk}
    )
