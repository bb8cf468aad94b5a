"""LAT2904: a file or folder of the input that could not be read."""

from __future__ import annotations

from ..._findings import RuleInfo

INFO = RuleInfo(
    rule_id="LAT2904",
    title="Input not read",
    rationale="A folder run reads every file it can and reports each file or folder it "
    "could not read (no permission, not UTF-8, malformed, past a size limit, a symbolic "
    "link to a folder it does not follow). What was not read was not checked, so it is "
    "never counted as clean: the run also sets exit bit 1 (unusable input).",
    fix="Fix the file or folder named (the message says why it was not read), or leave it "
    "out of the folder you check.",
    severity_reason="A warning, with exit bit 1 (unusable input) set as well: nothing is "
    "known to be wrong in what was read, but what was not read was not checked, so the run "
    "can never pass as clean.",
)
