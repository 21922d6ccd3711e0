"""The live page sends a file: a PDF, JPEG or PNG with a caption, as the staff's reply.

Everything a typed reply does holds here too (chat.live.send_text): the patient is looked up only
inside the user's clinics, the same `client_id` again returns the first message and stores nothing
more, the 24-hour window must be open, and the bot is paused in the same transaction. The file is
checked by its bytes and size (chat.media_out) and the request checked before anything is stored;
the file is saved before the transaction (no storage call under the patient's lock) and removed if
that transaction does not queue it. The send task uploads it to Meta and sends the message.
"""

from chat import media_out
from chat.live import WINDOW_CLOSED_TEXT, Invalid, Sent, _client_id, _earlier_send, patient_for, queue_staff_send
from chat.media_fetch import make_thumbnail
from chat.models import Message
from chat.outbound import WindowClosed, queue_media, window_open
from chat.whatsapp.outgoing import CAPTION

# The HTTP status of each refusal: 413 too large, 415 not a type WhatsApp takes, 400 empty.
REFUSED_STATUS = {"file_too_big": 413, "wrong_file_type": 415, "empty_file": 400}


class FileRefused(Invalid):
    def __init__(self, refused: media_out.FileRefused) -> None:
        super().__init__(str(refused))
        self.code = refused.code
        self.status = REFUSED_STATUS[refused.code]


def send_file(*, user, patient_id, upload, caption="", client_id=None) -> Sent:
    """Queue `upload` (a Django UploadedFile) for the patient as a document or an image."""
    client_id = _client_id(client_id)
    caption = _caption(caption)
    kind = _checked(upload)
    filename = media_out.clean_filename(upload.name, kind)
    patient = patient_for(user=user, patient_id=patient_id)  # refusals first: nothing stored for them
    if (earlier := _earlier_send(patient, client_id)) is not None:
        return Sent(earlier, False)
    if not window_open(patient):
        raise WindowClosed(WINDOW_CLOSED_TEXT)
    stored = media_out.save_upload(
        doctor_id=patient.doctor_id, upload=upload, kind=kind, filename=filename, make_thumbnail=make_thumbnail
    )
    try:
        sent = _queue_file(user=user, patient_id=patient_id, stored=stored, caption=caption, client_id=client_id)
    except BaseException:
        media_out.discard(stored)
        raise
    if not sent.created:
        media_out.discard(stored)  # a repeated request raced this one and won: its file is the one
    return sent


def _queue_file(*, user, patient_id, stored, caption, client_id) -> Sent:
    """The checks again under the patient's lock (they may have changed while the file was saved),
    then the paused bot, the message and its file's row, in one transaction."""
    sent = queue_staff_send(
        user=user,
        patient_id=patient_id,
        client_id=client_id,
        queue=lambda patient: queue_media(
            patient=patient,
            kind=stored.kind.message_type,
            filename=stored.filename,
            caption=caption,
            user=user,
            client_id=client_id,
            attach=lambda message: media_out.attach_file(message=message, stored=stored),
        ),
    )
    if not sent.created:
        return sent
    return Sent(Message.objects.select_related("sender_user", "media").get(pk=sent.message.pk), True)


def _checked(upload) -> media_out.Kind:
    if upload is None:
        raise Invalid("file is required: choose a PDF, JPEG or PNG")
    head = upload.read(media_out.SNIFF_BYTES)
    upload.seek(0)
    try:
        return media_out.check_file(head=head, size=upload.size)
    except media_out.FileRefused as refused:
        raise FileRefused(refused) from None


def _caption(caption) -> str:
    if caption is None:
        return ""
    if not isinstance(caption, str):
        raise Invalid("caption must be a string")
    caption = caption.strip()
    if len(caption) > CAPTION:
        raise Invalid(f"the caption is {len(caption)} characters; WhatsApp allows {CAPTION} with a file")
    return caption
