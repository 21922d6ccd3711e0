"""The live chat's JavaScript (static/js/chat/*.js): ES modules served as they are, no bundler.

They import only downwards: no cycle, so the page never depends on module evaluation order, and
ManifestStaticFilesStorage with support_js_module_import_aggregation could hash them (with a
cycle its collectstatic fails: "Max post-process passes exceeded"). Each stays small. A module
shared with another page sits one folder up (static/js/live_socket.js, also /appointments/'s) and
imports nothing, so it cannot close a cycle.
"""

import re
from pathlib import Path

from django.conf import settings

MODULES = Path(settings.BASE_DIR) / "static" / "js" / "chat"
IMPORT = re.compile(r'^import \{ ([\w$, ]+) \} from "\./(\w+)\.js";$', re.M)
SHARED_IMPORT = re.compile(r'^import \{ ([\w$, ]+) \} from "\.\./(\w+)\.js";$', re.M)
EXPORT = re.compile(r"^export (?:async function|function|const|let|class) ([\w$]+)", re.M)
MAX_LINES = 300


def modules() -> dict[str, str]:
    return {path.stem: path.read_text() for path in sorted(MODULES.glob("*.js"))}


def shared(name: str) -> str:
    return (MODULES.parent / f"{name}.js").read_text()


def test_every_import_names_a_module_of_the_folder_and_one_of_its_exports():
    found = modules()
    for name, text in found.items():
        for names, target in IMPORT.findall(text):
            assert target in found, f"{name}.js imports ./{target}.js, which does not exist"
            exported = set(EXPORT.findall(found[target]))
            for imported in names.split(", "):
                assert imported in exported, f"{name}.js imports {imported}, which {target}.js does not export"
        for names, target in SHARED_IMPORT.findall(text):
            assert (MODULES.parent / f"{target}.js").exists(), f"{name}.js imports ../{target}.js, which does not exist"
            exported = set(EXPORT.findall(shared(target)))
            for imported in names.split(", "):
                assert imported in exported, f"{name}.js imports {imported}, which ../{target}.js does not export"
        readable = (IMPORT, SHARED_IMPORT)
        other_imports = [
            line
            for line in text.splitlines()
            if line.startswith("import ") and not any(pattern.match(line) for pattern in readable)
        ]
        assert not other_imports, f"{name}.js: an import this test cannot read: {other_imports}"


def test_the_live_socket_is_one_module_shared_by_chat_and_appointments():
    """One reconnect (backoff, heartbeat, catch-up on hello) for both pages, importing nothing."""
    live_socket = shared("live_socket")
    assert "import " not in live_socket and len(live_socket.splitlines()) <= MAX_LINES
    users = [MODULES / "socket.js", MODULES.parent / "appointments.js"]
    for user in users:
        text = user.read_text()
        assert re.search(r'^import \{ liveSocket \} from "\.\.?/live_socket\.js";$', text, re.M), user.name
        assert "new WebSocket" not in text and "PING_EVERY_MS" not in text, f"{user.name} has its own reconnect"
    template = (Path(settings.BASE_DIR) / "templates" / "booking" / "appointments.html").read_text()
    assert '<script type="module" src="{% static \'js/appointments.js\' %}"></script>' in template


def test_the_modules_import_only_downwards():
    graph = {name: [target for _, target in IMPORT.findall(text)] for name, text in modules().items()}

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, "import cycle: " + " -> ".join([*path[path.index(name) :], name])
        for target in graph[name]:
            visit(target, [*path, name])

    for name in graph:
        visit(name, [])


def test_each_module_is_small_and_main_is_the_only_entry():
    found = modules()
    assert "main" in found and not (MODULES.parent / "chat.js").exists()
    for name, text in found.items():
        assert len(text.splitlines()) <= MAX_LINES, f"{name}.js has {len(text.splitlines())} lines"
    imported = {target for text in found.values() for _, target in IMPORT.findall(text)}
    assert set(found) - imported == {"main"}, "a module nothing imports is dead code (or a second entry)"
    template = (Path(settings.BASE_DIR) / "templates" / "chat" / "live.html").read_text()
    assert '<script type="module" src="{% static \'js/chat/main.js\' %}"></script>' in template
