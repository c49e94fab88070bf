"""The live view through Textual's own test driver: keys in, ranking and weights out."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import Awaitable, Callable
from functools import cache
from pathlib import Path

import pytest

from engage.analysis.explore import Explorer
from engage.core.model import OptionSet
from engage.core.ranking import resolve_lens
from engage.io.loader import load
from engage.tui.explore import (
    ExplainScreen,
    ExploreApp,
    ExploreScreen,
    HelpScreen,
    SaveScreen,
)
from engage.tui.screenshot import KEYS, screenshot
from tests.conftest import OPTIONS

HERE = Path(__file__).resolve().parent
SNAPSHOT = HERE / "snapshots" / "explore-120x40.svg"
RECORD = os.environ.get("ENGAGE_RECORD_GOLDEN") == "1"
SIZE = (120, 40)


@cache
def shipped() -> OptionSet:
    return load([str(OPTIONS)])


def explorer(**lens: str) -> Explorer:
    option_set = shipped()
    return Explorer(option_set, resolve_lens(option_set.model, **lens))


def refuse(_explorer: Explorer, name: str) -> str:
    raise AssertionError(f"nothing should be saved here ({name})")


Probe = Callable[[ExploreApp], Awaitable[None]]


def drive(
    keys: list[str], e: Explorer | None = None, probe: Probe | None = None, save: object = None
) -> ExploreApp:
    """Open the view at 120×40, press the keys, run ``probe`` inside, and return the app."""
    app = ExploreApp(e or explorer(), save or refuse)  # type: ignore[arg-type]

    async def go() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            for key in keys:
                await pilot.press(key)
            await pilot.pause()
            if probe is not None:
                await probe(app)

    asyncio.run(go())
    return app


def ids(e: Explorer, n: int = 3) -> list[str]:
    return [r.option.id for r in e.standing().rows[:n]]


def test_q_quits_with_the_opening_weights_line() -> None:
    app = drive(["q"])
    assert app.return_value == "benefit=0.45,feasibility=0.35,linkage=0.2"
    assert app.return_code == 0


def test_right_raises_the_selected_weight_and_the_others_keep_their_proportions() -> None:
    e = explorer()
    app = drive(["right", "right", "shift+right", "q"], e)
    assert e.lens.weights[0] == 0.52
    assert e.lens.weights[1] / e.lens.weights[2] == pytest.approx(0.35 / 0.2)
    assert app.return_value == e.weights_line()
    assert e.lens.profile == "custom"


def test_walking_feasibility_up_changes_the_top_option_and_shows_who_moved() -> None:
    """feasibility's top interval ends at 0.516 (as `engage sensitivity` says): at 0.55
    tapi-herat and uzbek-power-line share the top, three places up since opening."""
    e = explorer()
    assert ids(e, 2) == ["humanitarian-ringfence", "wb-approach-3"]
    drive(["tab", "down"] + ["shift+right"] * 4, e)
    assert e.lens.weights[1] == pytest.approx(0.55)
    top, second = e.standing().rows[:2]
    assert {top.option.id, second.option.id} == {"tapi-herat", "uzbek-power-line"}
    assert (top.rank, top.change, second.rank, second.change) == (1, 3, 1, 3)
    ringfence = next(r for r in e.standing().rows if r.option.id == "humanitarian-ringfence")
    assert ringfence.change < 0


def test_left_in_the_weights_pane_lowers_the_criterion_selected_there() -> None:
    e = explorer()
    drive(["tab", "down", "down", "left", "left"], e)
    assert e.lens.weights[2] == 0.18
    assert e.lens.weights[0] / e.lens.weights[1] == pytest.approx(0.45 / 0.35)


def test_a_weight_stops_at_1_and_at_0() -> None:
    e = explorer()
    e.move(0, 0.52)  # benefit 0.97
    drive(["shift+right", "shift+right"], e)
    assert e.lens.weights == (1.0, 0.0, 0.0)
    e.move(0, -0.97)
    drive(["shift+left", "shift+left", "left"], e)
    assert e.lens.weights == (0.0, 0.5, 0.5)


def test_m_p_and_r_cycle_the_method_and_profile_and_reset() -> None:
    e = explorer()
    seen: list[tuple[str, str]] = []

    async def probe(app: ExploreApp) -> None:
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        for key in ("m", "m", "m", "p", "p", "right", "r"):
            await app.run_action(_KEY_ACTIONS[key], screen)
            seen.append((e.lens.method, e.lens.profile))

    drive([], e, probe)
    assert seen == [
        ("topsis", "pragmatic"),
        ("promethee", "pragmatic"),
        ("weighted-sum", "pragmatic"),
        ("weighted-sum", "conditional"),
        ("weighted-sum", "standalone"),
        ("weighted-sum", "custom"),
        ("weighted-sum", "pragmatic"),
    ]


_KEY_ACTIONS = {"m": "method", "p": "profile", "right": "weight(1)", "r": "reset"}


def test_keys_m_and_p_are_bound_as_the_spec_says() -> None:
    e = explorer()
    drive(["m", "p"], e)
    assert (e.lens.method, e.lens.profile) == ("topsis", "conditional")


def test_the_ranking_selection_moves_with_up_and_down_and_enter_explains_it() -> None:
    shown: list[str] = []

    async def probe(app: ExploreApp) -> None:
        screen = app.screen
        assert isinstance(screen, ExplainScreen)
        shown.append(screen.option_id)
        text = app.export_screenshot()
        assert "un-cash-shipments" in text
        assert "Rationale" in text

    drive(["down", "down", "up", "down", "enter"], probe=probe)
    assert shown == ["un-cash-shipments"]


def test_escape_leaves_the_explanation_and_the_help() -> None:
    screens: list[type] = []

    async def probe(app: ExploreApp) -> None:
        screens.append(type(app.screen))
        await app.screen.run_action("back")
        await asyncio.sleep(0)
        screens.append(type(app.screen))

    drive(["enter", "escape", "question_mark"], probe=probe)
    assert screens == [HelpScreen, ExploreScreen]


def test_s_asks_a_name_saves_and_says_where(tmp_path: Path) -> None:
    saved: list[tuple[str, tuple[float, ...]]] = []

    def save(e: Explorer, name: str) -> str:
        saved.append((name, e.lens.weights))
        return f"saved [profiles.{name}] to {tmp_path}/profile-{name}.toml"

    messages: list[str] = []

    async def probe(app: ExploreApp) -> None:
        assert isinstance(app.screen, ExploreScreen)
        messages.append(str(app.screen.query_one("#message").render()))

    e = explorer()
    drive(["right", "s", *"room", "enter"], e, probe=probe, save=save)
    assert saved == [("room", e.lens.weights)]
    assert e.lens.weights[0] == 0.46
    assert messages == [f"saved [profiles.room] to {tmp_path}/profile-room.toml"]


def test_a_refused_save_keeps_the_dialog_open_with_the_reason() -> None:
    from engage.core.errors import WriteError

    def save(_e: Explorer, name: str) -> str:
        raise WriteError(f"profile-{name}.toml exists; engage does not overwrite it")

    errors: list[str] = []

    async def probe(app: ExploreApp) -> None:
        assert isinstance(app.screen, SaveScreen)
        errors.append(str(app.screen.query_one("#save-error").render()))

    drive(["s", *"x1", "enter"], probe=probe, save=save)
    assert errors == ["error: profile-x1.toml exists; engage does not overwrite it"]


def test_ctrl_c_quits_with_code_130_and_no_weights() -> None:
    app = drive(["right", "ctrl+c"])
    assert (app.return_value, app.return_code) == (None, 130)


def test_under_every_method_the_weights_pane_shows_the_intervals_at_once() -> None:
    shown: list[str] = []

    async def probe(app: ExploreApp) -> None:
        screen = app.screen
        assert isinstance(screen, ExploreScreen)
        for _ in range(3):
            await app.run_action("method", screen)
            await asyncio.sleep(0)
            method = screen.explorer.lens.method
            text = screen.weights.text().plain
            shown.append(f"{method}: {len(re.findall(r'stays top [0-9]', text))}")

    drive([], probe=probe)
    assert shown == ["topsis: 3", "promethee: 3", "weighted-sum: 3"]


def screen_svg(keys: list[str]) -> str:
    return screenshot(explorer(), keys)


def test_the_screen_at_120x40_matches_the_recorded_snapshot() -> None:
    """After walking benefit up six steps (the top holds): ▲/▼ marks, intervals.
    Record again with ENGAGE_RECORD_GOLDEN=1 after a deliberate change of the view."""
    svg = screen_svg(KEYS)
    if RECORD:
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(svg, encoding="utf-8")
    assert svg == SNAPSHOT.read_text(encoding="utf-8")


def _colours(svg: str) -> set[str]:
    return set(re.findall(r"fill: (#[0-9a-f]{6})", svg))


def _grey(colour: str) -> bool:
    """Grey, or nearly (rich's SVG frame draws its text in #c5c8c6 in every theme)."""
    channels = [int(colour[k : k + 2], 16) for k in (1, 3, 5)]
    return max(channels) - min(channels) <= 8


def test_no_color_draws_in_greys_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual reads NO_COLOR when the app starts: the same screen in greys, else colour."""
    assert all(_grey(c) for c in _colours(screen_svg(["right"])))
    monkeypatch.delenv("NO_COLOR")
    assert not all(_grey(c) for c in _colours(screen_svg(["right"])))


def test_the_readme_picture_is_made_by_a_command(tmp_path: Path) -> None:
    """`python -m engage.tui.screenshot FILE` writes the snapshot's screen, in colour."""
    from engage.tui.screenshot import main

    main([str(tmp_path / "explore.svg")])
    svg = (tmp_path / "explore.svg").read_text(encoding="utf-8")
    assert "humanitarian-ringfence" in svg
    assert not all(_grey(c) for c in _colours(svg))
