"""The native JSON API at /api/: everything the site does, for scripts and apps (OpenAPI at /api/docs)."""

from __future__ import annotations

from ninja import NinjaAPI

from vidora.app.accounts.api import router as accounts
from vidora.app.api import errors
from vidora.app.api.auth import SIGNED_IN
from vidora.app.api.parser import JsonOrFormParser
from vidora.app.api.verify import router as provenance
from vidora.app.cameos.api import router as cameos
from vidora.app.feed.api import router as feed
from vidora.app.messaging.api import router as messaging
from vidora.app.messaging.services import MessageError
from vidora.app.moderation.api import router as moderation
from vidora.app.moderation.services import ReportError
from vidora.app.parental.api import router as parental
from vidora.app.parental.services import FamilyError
from vidora.app.social.api import router as social
from vidora.app.social.services import SocialError
from vidora.app.studio.api import router as studio
from vidora.app.studio.services import GenerationRequestError

api = NinjaAPI(
    title="Vidora API",
    version="1",
    description="Generate, post and browse Vidora videos. Sign in with an API key (`Authorization: Bearer vk-...`, "
                "created on your settings page) or, from the browser, with your session and its CSRF token. "
                "Errors: `{\"error\": {\"message\", \"type\", \"param\", \"code\"}}`.",
    auth=SIGNED_IN,
    parser=JsonOrFormParser(),
    urls_namespace="api",
)
errors.install(api, refusals=(GenerationRequestError, SocialError, ReportError, MessageError, FamilyError))
for router in (studio, social, feed, accounts, provenance, moderation, messaging, parental, cameos):
    api.add_router("", router)
