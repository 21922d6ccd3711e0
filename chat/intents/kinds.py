"""What a patient can want (`Intent`), the menu buttons' ids that name one, the clinic facts
the bot answers from the doctor's profile, and the words that always bring the menu back."""

import enum


class Intent(enum.StrEnum):
    EMERGENCY = "emergency"
    TALK_DOCTOR = "talk_doctor"
    DATA_REQUEST = "data_request"
    DOCUMENT_REQUEST = "document_request"
    MY_APPOINTMENTS = "my_appointments"
    APPOINTMENT_TIME = "appointment_time"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    BOOK = "book"
    FEES = "fees"
    HOURS = "hours"
    ADDRESS = "address"
    PHONE = "phone"
    HEALTH = "health"
    THANKS = "thanks"
    MENU = "menu"
    FAQ = "faq"
    UNKNOWN = "unknown"


# The ids of the menu's reply buttons; a tap comes back with its id.
BUTTON_INTENTS = {
    "book": Intent.BOOK,
    "my_appointments": Intent.MY_APPOINTMENTS,
    "talk_doctor": Intent.TALK_DOCTOR,
    "menu": Intent.MENU,
}

# Clinic facts the bot answers from the doctor's profile; several may be asked at once.
INFO_INTENTS = (Intent.FEES, Intent.HOURS, Intent.ADDRESS, Intent.PHONE)


# Words that always bring the menu back, even in the middle of a booking.
MENU_COMMANDS = frozenset({"menu", "main menu", "back to menu", "start over", "restart", "मेनू"})
