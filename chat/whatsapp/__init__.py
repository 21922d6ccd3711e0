"""WhatsApp Cloud API: payload parsing, signatures, the Graph API client and the sandbox."""
