"""The one conversation driver (iosfw/cli/conversation.py) against a scripted front end: what
every front end (the console, `-c`, scripts and pipes, telnet and SSH vtys) shows follows from
these calls, since a front end only does the I/O the driver asks for.

The scripted Terminal records each call; `screen()` is what a character terminal that draws
its own prompts (a vty) would show.
"""
from __future__ import annotations

import kit

from iosfw.cli.conversation import Conversation, Terminal
from iosfw.cli.pager import Pager

EXEC, USER, CONFIG = "3640-123#", "3640-123>", "3640-123(config)#"
SYS = "%SYS-5-CONFIG_I: Configured from console by console"


class Scripted(Terminal):
    """A front end that records what the conversation asks of it."""

    def __init__(self, hang_up_on_reload: bool = False):
        self.calls: list[tuple] = []
        self.hang_up_on_reload = hang_up_on_reload
        self.conversation: Conversation | None = None

    def write(self, text: str) -> None:
        self.calls.append(("write", text))

    def erase_more(self) -> None:
        self.calls.append(("erase",))

    def ready(self, shown: str, prompt: str) -> None:
        self.calls.append(("ready", shown, prompt))

    def question(self, prompt: str, secret: bool) -> None:
        self.calls.append(("question", prompt, secret))

    def hang_up(self) -> None:
        self.calls.append(("hang_up",))

    def reloaded(self) -> None:
        self.calls.append(("reloaded",))
        if self.hang_up_on_reload:          # as a vty: IOS drops it as the router goes down
            self.conversation.close()

    def take(self) -> list[tuple]:
        calls, self.calls = self.calls, []
        return calls

    def screen(self) -> str:
        shown = {"write": lambda c: c[1], "erase": lambda c: "<erase>",
                 "ready": lambda c: c[1] + c[2], "question": lambda c: c[1],
                 "hang_up": lambda c: "<hang-up>", "reloaded": lambda c: "<reloaded>"}
        text = "".join(shown[call[0]](call) for call in self.calls)
        self.calls = []
        return text


def talk(tmp_path=None, *, privileged=True, **options):
    """A console session of a fresh seed router, its conversation and its scripted front end,
    with the first prompt taken."""
    session = kit.session(tmp_path, privileged=privileged)
    terminal = Scripted(options.pop("hang_up_on_reload", False))
    conversation = Conversation(session, terminal, **options)
    terminal.conversation = conversation
    conversation.start()
    terminal.take()
    return conversation, terminal


# ------------------------------------------------------------------ output and prompt
def test_the_first_prompt_and_a_command_output_then_the_next_prompt():
    session, terminal = kit.session(), Scripted()
    c = Conversation(session, terminal)
    c.start()
    assert terminal.take() == [("ready", "", EXEC)]
    c, t = talk(paged=False)
    c.enter("show clock")
    write, ready = t.take()
    assert write[0] == "write" and write[1].endswith("UTC Mon Mar 1 1993\n")
    assert ready == ("ready", "", EXEC)
    assert c.expecting == "command" and not c.reply.error


def test_log_messages_follow_the_next_prompt_on_lines_of_their_own():
    c, t = talk()
    c.enter("configure terminal")
    t.take()
    c.enter("end")
    kind, shown, prompt = t.take()[-1]
    assert kind == "ready" and shown.startswith(EXEC + "\n") and SYS in shown
    assert prompt == ""                     # drawn again only with logging synchronous


def test_with_logging_synchronous_the_prompt_comes_back_after_the_messages():
    c, t = talk()
    for line in ("configure terminal", "line con 0", "logging synchronous", "end"):
        c.enter(line)
    (*_, (kind, shown, prompt)) = t.take()
    assert kind == "ready" and SYS in shown and prompt == EXEC


# ------------------------------------------------------------------ errors
def test_the_caret_column_comes_from_the_structured_error_not_from_its_text():
    c, t = talk()
    c.enter("show ip xyz")
    assert c.reply.error and c.reply.column == len(EXEC) + len("show ip ")
    assert c.column == "show ip xyz".index("xyz")
    assert t.screen() == " " * c.reply.column + "^\n% Invalid input detected at '^' marker." \
        "\n\n" + EXEC


def test_the_caret_column_of_do_counts_from_the_configuration_prompt():
    c, t = talk()
    c.enter("configure terminal")
    c.enter("do show ip xyz")
    assert c.column == "do show ip xyz".index("xyz")


def test_an_error_without_a_caret_has_no_column():
    c, t = talk()
    c.enter("sh")
    assert c.reply.error and c.reply.column is None and c.column is None


# ------------------------------------------------------------------ questions
def test_a_question_takes_the_next_line_as_its_answer_unechoed_when_secret():
    c, t = talk(privileged=False)
    c.enter("enable")
    assert t.take()[-1] == ("question", "Password: ", True)
    assert c.expecting == "answer" and c.secret
    c.enter("cisco123")
    assert t.take()[-1] == ("ready", "", EXEC)
    assert c.session.privileged


def test_ctrl_c_at_a_question_cancels_it_with_its_command():
    c, t = talk(privileged=False)
    c.enter("enable")
    t.take()
    c.interrupt()
    assert t.take()[-1] == ("ready", "", USER) and c.expecting == "command"
    assert not c.session.privileged


# ------------------------------------------------------------------ the pager
def test_long_output_stops_at_more_space_pages_return_adds_a_line_q_stops():
    c, t = talk()
    c.session.terminal_length = 6
    config = c.session.execute("show running-config").output.splitlines(keepends=True)
    c.enter("show running-config")
    assert t.screen() == "".join(config[:5]) + Pager.PROMPT and c.expecting == "key"
    c.key(" ")
    assert t.screen() == "<erase>" + "".join(config[5:10]) + Pager.PROMPT
    c.key("\r")
    assert t.screen() == "<erase>" + config[10] + Pager.PROMPT
    c.key("q")
    assert t.screen() == "<erase>" + EXEC and c.expecting == "command"


def test_ctrl_c_at_more_stops_the_output():
    c, t = talk()
    c.session.terminal_length = 6
    c.enter("show running-config")
    t.take()
    c.interrupt()
    assert t.screen() == "<erase>" + EXEC


def test_terminal_length_0_and_unpaged_front_ends_never_stop():
    for options, length in (({}, 0), ({"paged": False}, 6)):
        c, t = talk(**options)
        c.session.terminal_length = length
        c.enter("show running-config")
        assert Pager.PROMPT not in t.screen() and c.expecting == "command"


# ------------------------------------------------------------------ hang-up, reload
def test_exit_hangs_up_and_nothing_more_is_taken():
    c, t = talk()
    c.enter("exit")
    assert t.take()[-1] == ("hang_up",) and c.expecting == "closed"
    c.enter("show clock")
    assert t.take() == []


def test_a_reload_is_told_to_the_front_end_that_shows_its_output_after(tmp_path):
    c, t = talk(tmp_path)
    c.enter("write memory")
    c.enter("reload")
    assert t.take()[-1] == ("question", "Proceed with reload? [confirm]", False)
    c.enter("")
    assert t.take()[0] == ("reloaded",) and c.expecting == "command"
    c.enter("show clock")
    assert t.take()[-1] == ("ready", "", USER)     # the router came back up in user EXEC


def test_a_front_end_that_goes_down_with_the_reload_is_shown_nothing_more(tmp_path):
    c, t = talk(tmp_path, hang_up_on_reload=True)
    c.enter("write memory")
    c.enter("reload")
    t.take()
    c.enter("")
    assert t.take() == [("reloaded",)] and c.expecting == "closed"


def test_the_reload_output_follows_the_reloaded_call(tmp_path):
    c, t = talk(tmp_path)
    c.enter("write memory")
    c.enter("reload")
    t.take()
    c.enter("")
    assert t.screen() == "<reloaded>\n3640-123 con0 is now available\n\n\n\n" \
        "Press RETURN to get started.\n\n" + USER


# ------------------------------------------------------------------ Ctrl-Z
def test_ctrl_z_is_end_in_configuration_modes_and_nothing_elsewhere():
    c, t = talk()
    assert c.ctrl_z("^Z\n") is False and t.take() == []
    c.enter("configure terminal")
    t.take()
    assert c.ctrl_z("^Z\n") is True
    screen = t.screen()
    assert screen.startswith("^Z\n" + EXEC + "\n") and SYS in screen
    assert not c.session.configuring


def test_ctrl_c_at_the_prompt_gives_the_prompt_again():
    c, t = talk()
    c.interrupt()
    assert t.take() == [("ready", "", EXEC)]


# ------------------------------------------------------------------ bare: -c, ssh router command
def test_bare_echoes_a_refused_line_above_its_caret_and_shows_no_prompt():
    c, t = talk(bare=True)
    c.enter("show ip xyz")
    assert t.screen() == "show ip xyz\n        ^\n% Invalid input detected at '^' marker.\n\n"


def test_bare_cancels_questions_and_puts_messages_right_after_the_output():
    c, t = talk(bare=True, privileged=False)
    c.enter("enable")
    assert c.expecting == "command" and not c.session.privileged
    assert t.screen() == ""                 # nobody could answer `Password:` here
    c.session.privileged = True
    c.enter("configure terminal")
    c.enter("end")
    screen = t.screen()
    assert screen.startswith("Enter configuration commands") and SYS in screen
    assert EXEC not in screen


# ------------------------------------------------------------------ long commands
def test_with_a_schedule_a_long_command_goes_a_slice_per_turn_then_the_prompt():
    queue: list = []
    c, t = talk(schedule=queue.append)
    c.enter("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 5000 rate 1000")
    assert c.expecting == "busy" and t.calls == [] and queue
    turns = 0
    while queue:
        queue.pop(0)()
        turns += 1
    assert turns > 1
    assert t.screen().startswith("flood: 5000 SYN") and c.expecting == "command"


def test_a_change_waiting_for_another_line_runs_on_retry():
    queue: list = []
    flooder, _ = talk(schedule=queue.append)
    other = Conversation(kit.session(on=flooder.session.device), Scripted(),
                         schedule=queue.append)
    flooder.enter("simulate flood tcp 203.0.113.99 172.22.1.110 25 count 5000 rate 1000")
    other.enter("configure terminal")
    other.enter("hostname LATER")
    assert other.expecting == "busy" and not other.retry()
    while queue:
        queue.pop(0)()
    assert other.retry() and other.expecting == "command"
    assert other.session.router.hostname == "LATER"
