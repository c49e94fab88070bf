"""The full-screen view of `engage explore`
(docs/methods.md#exploring-weights-live-engage-explore), in Textual.

The only module that imports Textual: `rank` and every other command never load it. It
holds no analysis of its own: the state is an :class:`engage.analysis.explore.Explorer`
and every pane is drawn by :mod:`engage.render.explore`; this module places them, maps
keys to the explorer's steps, and hands the final weights back to the command.

The view draws on stderr (Textual's Linux driver writes to ``sys.__stderr__``), so
stdout stays free for the weights line; the terminal size is read from stderr too,
since stdout is a pipe under ``engage rank -w "$(engage explore)"``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.driver import Driver
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Footer, Input, Static

from engage.analysis.explore import BIG_STEP, STEP, Explorer
from engage.core.errors import EngageError
from engage.render import explore as render

if TYPE_CHECKING:
    from rich.text import Text

SaveProfile = Callable[[Explorer, str], str]
"""Save the explorer's weights under a profile name; returns what to tell the user, or
raises :class:`EngageError` (shown in the dialog, which stays open)."""

INTERRUPTED = 130

CSS = """
#status { height: 1; padding: 0 1; }
#panes { height: 1fr; }
RankingPane { width: 1fr; border: round $secondary; padding: 0 1; }
WeightsPane { width: 36; border: round $secondary; padding: 0 1; }
RankingPane:focus, WeightsPane:focus { border: heavy $accent; }
#message { height: 1; padding: 0 1; }
ExplainScreen VerticalScroll { padding: 0 1; }
HelpScreen, SaveScreen { align: center middle; }
#help, #save { width: 90; height: auto; border: heavy $accent; padding: 1 2;
               background: $surface; }
#save-error { height: auto; color: $error; }
"""


class TextPane(Widget):
    """A pane drawn from one rich Text, line by line (Textual's line API).

    A keypress repaints both panes; handing Textual ready strips, built once per change
    from the Text's own segments, skips its general content pipeline (measuring,
    wrapping), about half the cost of a repaint of 1,000 options.
    """

    def __init__(self) -> None:
        super().__init__()
        self._strips: tuple[object, list[Strip], Strip] = (None, [], Strip([]))

    def text(self) -> Text:
        raise NotImplementedError

    def key(self) -> object:
        """What the text depends on, besides the explorer's lens (cached on it)."""
        raise NotImplementedError

    def render_line(self, y: int) -> Strip:
        size = self.size
        key = (self.key(), size)
        if self._strips[0] != key:
            self._strips = (key, *self._build(size.width))
        _, strips, blank = self._strips
        return strips[y] if y < len(strips) else blank

    def _build(self, width: int) -> tuple[list[Strip], Strip]:
        console, base = self.app.console, self.rich_style
        strips = []
        for line in self.text().split("\n", allow_blank=True):
            line.truncate(width, overflow="crop", pad=True)
            # the pane's colours under the text's own styles
            segments = Segment.apply_style(line.render(console, end=""), base)
            strips.append(Strip(segments, width))
        return strips, Strip.blank(width, base)


class RankingPane(TextPane, can_focus=True):
    """The ranking, drawn from the rows on screen only; ↑/↓ move the selection."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "move(-1000000000)", show=False),
        Binding("end", "move(1000000000)", show=False),
    ]
    HEADER = 2  # the table's heading and its rule

    def __init__(self, explorer: Explorer) -> None:
        super().__init__()
        self.explorer = explorer
        self.border_title = "Ranking"
        self.selected = explorer.standing().top.option.id
        self.offset_row = 0

    def selected_index(self) -> int:
        rows = self.explorer.standing().rows
        return next((k for k, r in enumerate(rows) if r.option.id == self.selected), 0)

    def rows_on_screen(self) -> int:
        base = self.explorer.model.baseline is not None  # the baseline's line, under them
        return max(1, self.content_size.height - self.HEADER - base)

    def action_move(self, by: int) -> None:
        rows = self.explorer.standing().rows
        k = min(max(self.selected_index() + by, 0), len(rows) - 1)
        self.selected = rows[k].option.id
        self.refresh()

    def action_page(self, direction: int) -> None:
        self.action_move(direction * self.rows_on_screen())

    def key(self) -> object:
        return (self.explorer.version, self.selected)

    def text(self) -> Text:
        standing = self.explorer.standing()
        k, height = self.selected_index(), self.rows_on_screen()
        # keep the selected option in sight as it moves through the ranking
        self.offset_row = min(self.offset_row, k)
        self.offset_row = max(self.offset_row, k - height + 1, 0)
        e, width = self.explorer, self.size.width
        return render.ranking_table(
            standing, e.model, self.offset_row, height, k, width, e.baseline()
        )


class WeightsPane(TextPane, can_focus=True):
    """One block per criterion: weight, bar and the top-stays-top interval."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "move(-1)", show=False),
        Binding("down", "move(1)", show=False),
    ]

    def __init__(self, explorer: Explorer) -> None:
        super().__init__()
        self.explorer = explorer
        self.border_title = "Weights"
        self.selected = 0

    def action_move(self, by: int) -> None:
        count = len(self.explorer.model.criteria)
        self.selected = min(max(self.selected + by, 0), count - 1)
        self.refresh()

    def key(self) -> object:
        return (self.explorer.version, self.selected)

    def text(self) -> Text:
        return render.weights_panel(self.explorer, self.explorer.intervals(), self.selected)


class ExploreScreen(Screen[None]):
    """The ranking beside the weights; every key of
    docs/methods.md#exploring-weights-live-engage-explore."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "switch_pane", "pane", priority=True),
        Binding("shift+tab", "switch_pane", show=False, priority=True),
        Binding("left", "weight(-1)", "weight", key_display="← →"),
        Binding("right", "weight(1)", show=False),
        Binding("shift+left", "weight(-5)", show=False),
        Binding("shift+right", "weight(5)", show=False),
        Binding("m", "method", "method"),
        Binding("p", "profile", "profile"),
        Binding("r", "reset", "reset"),
        Binding("enter", "explain", "explain"),
        Binding("s", "save", "save"),
        Binding("q", "quit_with_weights", "quit"),
        Binding("question_mark", "help", "help", key_display="?"),
    ]

    def __init__(self, explorer: Explorer) -> None:
        super().__init__()
        self.explorer = explorer
        self.ranking = RankingPane(explorer)
        self.weights = WeightsPane(explorer)
        self._shown = ("", "")  # the status and message lines on screen

    def compose(self) -> ComposeResult:
        yield Static("", id="status")
        with Horizontal(id="panes"):
            yield self.ranking
            yield self.weights
        yield Static("", id="message")
        yield Footer()

    def on_mount(self) -> None:
        self.ranking.focus()
        self.changed()

    # -- after every change ---------------------------------------------------------------

    def changed(self, message: str = "") -> None:
        """Redraw after a change (the panes re-rank and find the intervals as they draw).

        The one-line Statics are updated only when their text changes: an update lays
        the whole screen out again, which costs more than the re-rank.
        """
        status = render.status(self.explorer)
        if status.plain != self._shown[0]:
            self.query_one("#status", Static).update(status)
        if message != self._shown[1]:
            self.query_one("#message", Static).update(message)
        self._shown = (status.plain, message)
        self.ranking.refresh()
        self.weights.refresh()

    # -- actions --------------------------------------------------------------------------

    def action_switch_pane(self) -> None:
        (self.weights if self.ranking.has_focus else self.ranking).focus()

    def action_weight(self, steps: int) -> None:
        delta = BIG_STEP if abs(steps) > 1 else STEP
        if self.explorer.move(self.weights.selected, delta if steps > 0 else -delta):
            self.changed()

    def action_method(self) -> None:
        self.explorer.next_method()
        self.changed()

    def action_profile(self) -> None:
        self.explorer.next_profile()
        self.changed()

    def action_reset(self) -> None:
        self.explorer.reset()
        self.changed("reset to the opening weights, profile and method")

    def action_explain(self) -> None:
        self.app.push_screen(ExplainScreen(self.explorer, self.ranking.selected))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen())

    def action_save(self) -> None:
        app = self.app
        assert isinstance(app, ExploreApp)

        def saved(message: str | None) -> None:
            if message:
                self.changed(message)

        app.push_screen(SaveScreen(self.explorer, app.save), saved)

    def action_quit_with_weights(self) -> None:
        self.app.exit(self.explorer.weights_line())


class ExplainScreen(Screen[None]):
    """`engage explain` of one option under the lens now, as its table shows it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "back"),
        Binding("q", "back", show=False),
    ]

    def __init__(self, explorer: Explorer, option_id: str) -> None:
        super().__init__()
        self.explorer = explorer
        self.option_id = option_id

    def compose(self) -> ComposeResult:
        from engage.analysis.explain import explain
        from engage.render.explain import table

        e = self.explorer
        explanation = explain(e.option_set, e.lens, self.option_id, e.selection)
        width = max(40, self.app.size.width - 4)
        yield Static(render.status(e), id="status")
        with VerticalScroll():
            yield Static(table(explanation, width))
        yield Footer()

    def action_back(self) -> None:
        self.app.pop_screen()


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "back"),
        Binding("q", "back", show=False),
        Binding("question_mark", "back", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Static(render.help_text(), id="help")

    def action_back(self) -> None:
        self.dismiss(None)


class SaveScreen(ModalScreen[str | None]):
    """Asks the profile name; stays open with the reason when the save is refused."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "cancel")]

    def __init__(self, explorer: Explorer, save: SaveProfile) -> None:
        super().__init__()
        self.explorer = explorer
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(id="save"):
            yield Static("Save the weights as a profile. Name (a-z, 0-9, -):")
            yield Input(placeholder="e.g. workshop", id="save-name")
            yield Static("", id="save-error")
            yield Static(
                "Enter writes ./profile-NAME.toml, a new file (never over one); Esc cancels.",
                classes="hint",
            )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            message = self.save(self.explorer, event.value.strip())
        except EngageError as exc:
            self.query_one("#save-error", Static).update("\n".join(exc.lines()))
            return
        self.dismiss(message)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ExploreApp(App[str]):
    """Returns the weights line on ``q``; exit code 130 on Ctrl+C (nothing to print)."""

    CSS = CSS
    TITLE = "engage explore"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+c", "interrupt", show=False, priority=True),
        Binding("ctrl+q", "interrupt", show=False, priority=True),
    ]

    def __init__(
        self, explorer: Explorer, save: SaveProfile, driver_class: type[Driver] | None = None
    ) -> None:
        super().__init__(driver_class=driver_class)
        self.explorer = explorer
        self.save = save

    def on_mount(self) -> None:
        self.theme = "textual-dark"  # not the user's saved theme: the same view for all

    def get_default_screen(self) -> Screen[Any]:
        return ExploreScreen(self.explorer)

    def action_interrupt(self) -> None:
        self.exit(None, return_code=INTERRUPTED)


def terminal_driver() -> type[Driver] | None:
    """Textual's Linux driver with the size read from stderr, where it draws; stdout is
    often a pipe (``$(engage explore)``), where Textual's own size query would fall back
    to 80×24. None elsewhere (Textual's default)."""
    if os.name != "posix":
        return None
    from textual.drivers.linux_driver import LinuxDriver

    class StderrDriver(LinuxDriver):
        def _get_terminal_size(self) -> tuple[int, int]:
            try:
                size = os.get_terminal_size(sys.__stderr__.fileno())  # type: ignore[union-attr]
            except (AttributeError, ValueError, OSError):
                return super()._get_terminal_size()
            return size.columns or 80, size.lines or 25

    return StderrDriver


def run(explorer: Explorer, save: SaveProfile) -> tuple[str | None, int]:
    """Run the view on the terminal; the weights line (None when interrupted) and the
    exit code."""
    app = ExploreApp(explorer, save, driver_class=terminal_driver())
    result = app.run()
    return result, app.return_code or 0
