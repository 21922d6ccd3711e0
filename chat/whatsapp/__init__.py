"""WhatsApp Cloud API: payload parsing, signatures, the Graph API client, and `transport.client_for`
(the Graph client or the sandbox one, chat/sandbox.py)."""
