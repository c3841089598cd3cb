"""Pieces the apps' admin classes share."""


class InvalidFormIs400:
    """A ModelAdmin mixin: a change or add form sent with errors is answered 400, as every form of the site
    is (Django's admin answers 200), so a refused change reads as one in logs and tests."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        if request.method == "POST" and response.status_code == 200 and context.get("errors"):
            response.status_code = 400
        return response
