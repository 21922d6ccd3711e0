"""Dependencies point one way: clinicbot (base) ← patients ← booking ← chat ← privacy.

An AST walk over every non-test module of those packages, counting every import, at module level
or inside a function (an import hidden in a function body is still a dependency). A domain module
may import its own layer and the layers below; only the entry points listed below call across
(they are what a request, a task, a command or the process start runs, so nothing imports them
back). Separately, the module import graph must have no cycle, entry points included.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Lower number = lower layer. clinicbot's domain modules (events, replies, text, security, ...)
# sit below every app; its wiring modules are entry points.
LAYERS = {"clinicbot": 0, "patients": 1, "booking": 2, "chat": 3, "privacy": 4}

# Modules that may import any layer, and why. A module under `management.commands`, `views`,
# `tasks`, `admin` or `urls` of an app is an entry point by its name (see is_entry_point).
ENTRY_POINTS = {
    "clinicbot.urls": "the URL map routes to every app's views",
    "clinicbot.asgi": "process start: wires chat's websocket routes and starts the reminder loop",
    "clinicbot.wsgi": "process start",
    "clinicbot.settings": "configuration, read by Django before any app",
    "clinicbot.demo": "seed_demo: runs each app's own demo seed in order (the command and tests call it)",
    "chat.sweep": "process entry point: the web process's reminder sweep thread",
    "chat.media_views": "HTTP entry point: patients' files and their Retry (uses chat.api's api_view)",
    "privacy.apps": "AppConfig.ready registers the deploy checks and the login receivers",
}
ENTRY_POINT_NAMES = {"views", "tasks", "admin", "urls", "api", "consumers", "routing", "webhook"}


def is_entry_point(module: str) -> bool:
    parts = module.split(".")
    return module in ENTRY_POINTS or parts[-1] in ENTRY_POINT_NAMES or "commands" in parts


def source_modules(root: Path = ROOT) -> dict[str, Path]:
    """Every non-test, non-migration module of the layered packages, by dotted name."""
    found = {}
    for package in LAYERS:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            parts = list(rel.parts)
            if "tests" in parts or "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def imported_names(module: str, source: str, is_package: bool = False) -> list[tuple[str, int, bool]]:
    """(dotted name, line, typing only) of every import in `source`, wherever it sits; each
    `from x import y` yields x.y (x's attribute or submodule; resolve() sorts out which).
    "Typing only" marks an import under `if TYPE_CHECKING:`, which never runs."""
    package = module if is_package else module.rpartition(".")[0]
    names = []

    def visit(node, typing_only):
        if isinstance(node, ast.Import):
            names.extend((alias.name, node.lineno, typing_only) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from .x import y
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            names.extend((f"{base}.{alias.name}", node.lineno, typing_only) for alias in node.names)
        elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                visit(child, True)
            for child in node.orelse:
                visit(child, typing_only)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, typing_only)

    visit(ast.parse(source), False)
    return names


def resolve(name: str, modules) -> str | None:
    """The longest known module that `name` is in (chat.models.Message → chat.models), or None
    for anything outside the layered packages (django, the standard library)."""
    parts = name.split(".")
    while parts:
        if ".".join(parts) in modules:
            return ".".join(parts)
        parts.pop()
    return None


def import_graph(
    sources: dict[str, str], packages: set[str] = frozenset(), *, runtime: bool = False
) -> dict[str, dict[str, int]]:
    """module → {imported module: first line}, for imports between the given modules only.

    `runtime`: the graph a cycle is looked for in. It leaves out what never runs (TYPE_CHECKING
    imports) and a module's import of its own app's tasks module: that import is how a domain
    module enqueues its app's task (booking.reminders → booking.tasks.send_reminder, chat.outbound
    → chat.tasks.send_message), and the task module imports the domain back inside the task's
    body. An app enqueuing its own task is the one loop allowed; the tasks module's own imports
    still count, and in the direction check nothing is left out."""
    graph = {}
    for module, source in sources.items():
        edges = {}
        for name, line, typing_only in imported_names(module, source, is_package=module in packages):
            target = resolve(name, sources)
            if not target or target == module or target in edges:
                continue
            if runtime and (typing_only or own_tasks(module, target)):
                continue
            edges[target] = line
        graph[module] = edges
    return graph


def layer_of(module: str) -> int:
    return LAYERS[module.split(".")[0]]


def own_tasks(module: str, target: str) -> bool:
    """`target` is the tasks module of `module`'s app: importing it is how an app enqueues its task."""
    return target == f"{module.split('.')[0]}.tasks"


def upward_imports(graph: dict[str, dict[str, int]]) -> list[str]:
    """ "booking.reminders:44 imports chat.models" for each domain module importing a higher
    layer, or an entry point (they sit above every layer), other than its own app's tasks."""
    return [
        f"{module}:{line} imports {target}"
        for module, edges in sorted(graph.items())
        if not is_entry_point(module)
        for target, line in sorted(edges.items())
        if layer_of(target) > layer_of(module) or (is_entry_point(target) and not own_tasks(module, target))
    ]


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The import cycles: each strongly connected group of two or more modules (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def project_graph(*, runtime: bool = False) -> dict[str, dict[str, int]]:
    paths = source_modules()
    packages = {name for name, path in paths.items() if path.name == "__init__.py"}
    return import_graph({name: path.read_text() for name, path in paths.items()}, packages, runtime=runtime)


def test_no_domain_module_imports_a_higher_layer():
    assert upward_imports(project_graph()) == []


def test_no_import_cycles():
    assert cycles(project_graph(runtime=True)) == []


def test_it_reports_an_upward_import_hidden_in_a_function():
    sources = {
        "booking.reminders": "import datetime\n\ndef send():\n    from chat.outbound import queue_reply\n",
        "chat.outbound": "from booking.models import Appointment\n",
        "booking.models": "",
    }
    assert upward_imports(import_graph(sources)) == ["booking.reminders:4 imports chat.outbound"]


def test_it_lets_an_entry_point_call_across():
    sources = {"booking.tasks": "from chat.notices import reminder_send\n", "chat.notices": ""}
    assert upward_imports(import_graph(sources)) == []


def test_it_reports_a_domain_module_importing_an_entry_point():
    sources = {
        "patients.demo": "def seed():\n    from clinicbot.demo import seed_demo\n",
        "booking.reminders": "from booking.tasks import send_reminder\n",  # its own app's task: allowed
        "booking.slots": "from booking.views import page\n",
        "clinicbot.demo": "",
        "booking.tasks": "",
        "booking.views": "",
    }
    assert upward_imports(import_graph(sources)) == [
        "booking.slots:1 imports booking.views",
        "patients.demo:2 imports clinicbot.demo",
    ]


def test_it_reports_a_cycle_within_an_app():
    sources = {
        "booking.services": "from booking.reminders import reminders_schedule\n",
        "booking.reminders": "def cancel():\n    from booking import services\n",
        "booking.models": "",
    }
    assert cycles(import_graph(sources, runtime=True)) == [["booking.reminders", "booking.services"]]


def test_it_counts_type_checking_imports_for_direction_but_not_for_cycles():
    sources = {
        "booking.reminders": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from chat.models import Message\n",
        "chat.models": "from booking.reminders import SENT\n",
    }
    assert upward_imports(import_graph(sources)) == ["booking.reminders:3 imports chat.models"]
    assert cycles(import_graph(sources)) == [["booking.reminders", "chat.models"]]
    assert cycles(import_graph(sources, runtime=True)) == []


def test_it_allows_enqueueing_the_apps_own_task_but_not_the_tasks_imports_loop():
    sources = {
        "chat.outbound": "def enqueue():\n    from chat.tasks import send_message\n",
        "chat.tasks": "def send_message():\n    from chat.outbound import send_now\n",
        "chat.pipeline": "from chat.tasks import process\n",
    }
    assert cycles(import_graph(sources, runtime=True)) == []
    sources["chat.outbound"] = "from chat.pipeline import run\n"
    sources["chat.pipeline"] = "from chat.outbound import send\n"
    assert cycles(import_graph(sources, runtime=True)) == [["chat.outbound", "chat.pipeline"]]


def test_it_resolves_relative_imports():
    sources = {"patients.demo": "from .models import Doctor\nfrom ..chat import models\n", "patients.models": ""}
    sources["chat.models"] = ""
    assert import_graph(sources)["patients.demo"] == {"patients.models": 1, "chat.models": 2}
