"""The live-chat websocket: a logged-in user receives the events of the doctors they work for.

Clients only receive here; they write over HTTP. Events are plain dicts pushed by chat/events.py
after the transaction commits.
"""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from clinicbot.events import doctor_group


@database_sync_to_async
def doctor_ids_for(user) -> list[int]:
    from patients.access import doctors_for

    return list(doctors_for(user).values_list("id", flat=True))


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=4401)
            return
        self.groups_joined = [doctor_group(doctor_id) for doctor_id in await doctor_ids_for(user)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "doctors": len(self.groups_joined)})

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    @classmethod
    async def decode_json(cls, text_data):
        # A malformed frame from a client is ignored, not a reason to drop its live connection.
        try:
            return await super().decode_json(text_data)
        except ValueError:
            return None

    async def receive_json(self, content, **kwargs):
        # The only thing a client sends is a heartbeat; answering keeps idle proxies from closing.
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def chat_event(self, message):
        await self.send_json(message["event"])
