"""The doors to patients' files: the file and its thumbnail, streamed only to logged-in members
of the message's clinic (404 for anyone else, as for an id that does not exist; the login page
for the anonymous), and the Retry of a failed download. Thin: the work is chat/media.py's."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from chat import live
from chat.api import api_view
from chat.media import retry_media, safe_filename
from chat.models import MediaFile, Message
from chat.serializers import message_dict
from patients import audit
from patients.access import doctors_for

# Shown in the page itself (an <img>, <audio>, <video>, or the PDF in an <iframe>); anything
# else is downloaded, so an HTML or SVG file can never run as a page of this site.
INLINE_TYPES = ("image/jpeg", "image/png", "image/webp", "audio/", "video/", "application/pdf")
# The served file's own policy: framed only by our own page (the PDF preview; object-src for the
# browser's PDF viewer), runs no script.
FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; object-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"


@login_required
@require_GET
@xframe_options_sameorigin
def media_file(request: HttpRequest, media_id: int):
    return _serve(request, media_id, thumbnail=False)


@login_required
@require_GET
@xframe_options_sameorigin
def media_thumbnail(request: HttpRequest, media_id: int):
    return _serve(request, media_id, thumbnail=True)


def _serve(request: HttpRequest, media_id: int, *, thumbnail: bool) -> FileResponse:
    media = (
        MediaFile.objects.select_related("message")
        .filter(pk=media_id, state=MediaFile.State.STORED, message__doctor__in=doctors_for(request.user))
        .first()
    )
    stored = media.thumbnail if (media and thumbnail) else (media.file if media else None)
    if not stored:
        raise Http404("no such file")
    mime_type = "image/jpeg" if thumbnail else (media.mime_type or "application/octet-stream")
    inline = mime_type.startswith(INLINE_TYPES)
    response = FileResponse(
        stored.open("rb"),
        content_type=mime_type,
        as_attachment=not inline,
        filename=safe_filename(media, thumbnail=thumbnail),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = FILE_CSP
    return response


def _media_id(value) -> int:
    digits = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    if not (isinstance(digits, str) and digits.isascii() and digits.isdigit() and 0 < int(digits) <= live.MAX_ID):
        raise live.Invalid("mediaId must be a positive whole number")
    return int(digits)


@api_view("POST")
def retry(request, data):
    """POST {"mediaId"}: fetch a failed download again."""
    pk = _media_id(data.get("mediaId"))
    media = (
        MediaFile.objects.select_related("message__patient")
        .filter(pk=pk, message__doctor__in=doctors_for(request.user), message__direction=Message.Direction.IN)
        .first()
    )
    if media is None:
        raise live.NotFound("no such file")
    if not retry_media(media=media):
        raise live.Conflict("only a file that could not be downloaded can be retried")
    message = media.message
    audit.record(
        audit.Action.MESSAGE_RETRIED,
        request=request,
        patient=message.patient,
        message_id=message.pk,
        detail="media download",
    )
    message = Message.objects.select_related("sender_user", "media").get(pk=message.pk)
    return 200, {"message": message_dict(message)}
