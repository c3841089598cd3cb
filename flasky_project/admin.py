"""Pieces the apps' admin classes share."""

from flasky_project import converters


class InvalidFormIs400:
    """A ModelAdmin mixin: a change or add form sent with errors is answered 400, as every form of the site
    is (Django's admin answers 200), so a refused change reads as one in logs and tests."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == 200 and context.get("errors"):
            response.status_code = 400
        return response


class IdsInRange:
    """A ModelAdmin mixin for models whose key is an integer Django does not range-check (a one-to-one
    primary key): an id in the address past what the database holds is an unknown object, not a query
    that overflows."""

    def get_object(self, request, object_id, from_field=None):
        if from_field is None and not converters.is_id(object_id):
            return None
        return super().get_object(request, object_id, from_field)
