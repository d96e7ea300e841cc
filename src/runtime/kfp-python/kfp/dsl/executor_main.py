"""`python3 -m kfp.dsl.executor_main --component_module_path F --executor_input JSON --function_to_execute NAME`:
loads the component's module and runs its function through the Executor (KFP's kfp/dsl/executor_main.py).
Arguments are read by hand and messages printed plainly: argparse and logging would add ~15 ms to every task."""
import importlib.util
import json
import os
import sys
from typing import Dict, List, Optional

_FLAGS = ('--component_module_path', '--function_to_execute', '--executor_input')


def parse_arguments(argv: List[str]) -> Dict[str, str]:
    """`--flag value` and `--flag=value` for KFP's three flags; anything else is ignored (parse_known_args)."""
    values: Dict[str, str] = {}
    index = 0
    while index < len(argv):
        name, equals, value = argv[index].partition('=')
        if name in _FLAGS and equals:
            values[name[2:]] = value
        elif name in _FLAGS and index + 1 < len(argv):
            values[name[2:]] = argv[index + 1]
            index += 1
        index += 1
    return values


def load_function(module_path: str, function_name: str):
    # Like KFP: the module's directory goes first on sys.path, so modules next to it import.
    module_directory = os.path.dirname(module_path)
    module_name = os.path.splitext(os.path.basename(module_path))[0]
    sys.path.insert(0, module_directory)
    spec = importlib.util.spec_from_file_location(module_name, module_path)
    if spec is None or spec.loader is None:
        raise ImportError(f'cannot load the component module {module_path}')
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    # The module is a one-off file (a new path per attempt): no __pycache__ for it beside it.
    dont_write_bytecode, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    finally:
        sys.dont_write_bytecode = dont_write_bytecode
    if not hasattr(module, function_name):
        raise AttributeError(f'no function {function_name!r} in the component module {module_path}')
    return getattr(module, function_name)


def executor_main(argv: Optional[List[str]] = None) -> None:
    from kfp.dsl.executor import Executor

    args = parse_arguments(sys.argv[1:] if argv is None else argv)
    for flag in _FLAGS:
        if flag[2:] not in args:
            raise SystemExit(f'executor_main: {flag} is required')
    os.environ.setdefault('_KFP_RUNTIME', 'true')
    executor_input = json.loads(args['executor_input'])
    function = load_function(args['component_module_path'], args['function_to_execute'])
    output_file = Executor(executor_input=executor_input, function_to_execute=function).execute()
    if output_file is None:
        print('Did not write output file.', file=sys.stderr)
    else:
        print(f'Wrote executor output file to {output_file}.', file=sys.stderr)


if __name__ == '__main__':
    executor_main()
