"""The client's address behind trusted proxies (nginx, load balancers)."""

from django.conf import settings


class TrustedProxyMiddleware:
    """With TRUSTED_PROXY_COUNT proxies in front, the client is the address that many entries from the
    right of X-Forwarded-For (entries further left are whatever the client claimed, and are ignored).
    Rate limits, throttles and logs then all see the real client in REMOTE_ADDR."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = settings.TRUSTED_PROXY_COUNT
        if count:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            if len(hops) >= count:
                request.META["REMOTE_ADDR"] = hops[-count]
        return self.get_response(request)
