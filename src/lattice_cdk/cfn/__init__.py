"""CloudFormation as data: templates and cloud assemblies loaded into plain records,
and what Lattice knows about stateful resource types. Pure Python, no aws_cdk.
"""

from ._knowledge import StatefulType, is_stateful, stateful_type, stateful_types
from ._loader import load, load_template_file
from ._model import Assembly, InputProblem, Resource, Stack, Unevaluated

__all__ = [
    "Assembly",
    "InputProblem",
    "Resource",
    "Stack",
    "StatefulType",
    "Unevaluated",
    "is_stateful",
    "load",
    "load_template_file",
    "stateful_type",
    "stateful_types",
]
