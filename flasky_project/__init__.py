"""The project package: settings, URLs, WSGI/ASGI entry points and the site-wide pieces every app shares."""
