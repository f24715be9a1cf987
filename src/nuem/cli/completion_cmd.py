"""``nuem completion bash|zsh|tcsh``: print a shell-completion script for ``nuem``.

The script is generated from the parser itself by ``shtab`` (optional dependency:
``pip install 'nuem[completion]'``), so it always knows every command, option and choice.
Install, e.g. for bash: ``nuem completion bash > ~/.local/share/bash-completion/completions/nuem``;
for zsh: ``nuem completion zsh > "${fpath[1]}/_nuem"``.
"""

from __future__ import annotations

from ..exceptions import InvalidParameterError
from .commands import command_parser

NAME = "completion"
SHELLS = ("bash", "zsh", "tcsh")


def register(sub) -> None:
    p = command_parser(sub, NAME,
                       description="Print a completion script for nuem, generated from its "
                                   "parser by shtab (pip install 'nuem[completion]'). "
                                   "bash: nuem completion bash > "
                                   "~/.local/share/bash-completion/completions/nuem; "
                                   "zsh: nuem completion zsh > \"${fpath[1]}/_nuem\".")
    p.add_argument("shell", choices=SHELLS, help="the shell to complete for")
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        import shtab
    except ImportError:
        raise InvalidParameterError("completion needs the optional package shtab: "
                                    "pip install 'nuem[completion]' (or pip install shtab)"
                                    ) from None
    from .main import build_parser

    print(shtab.complete(build_parser(), shell=args.shell), end="")
    return 0
