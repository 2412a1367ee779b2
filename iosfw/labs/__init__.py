"""Training labs: a starting router, a story, tasks, and checks that grade a configuration by
the traffic it passes and blocks and by what the router logs, never by comparing its text
(docs/labs.md).

A lab is data (`examples/labs/NAME/lab.toml`, `start.cfg`, `solution.cfg`, read by
`definition`); `grade` runs its checks, each on a fresh copy of the learner's router on its own
virtual clock (`probe`), so grading never changes the learner's session; `progress` keeps what
a learner saved; `render` turns a scorecard, the tasks and the topology into text; `console`
is what a lab console's `lab` commands talk to; `cli` is `iosfw lab`.
"""
