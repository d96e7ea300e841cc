"""Entry point Sluice runs instead of a lightweight component's `pip install kfp && python3 -m kfp.dsl.executor_main`.

    python3 -u sluice_kfp_launcher.py --component_source SRC [--requirement REQ]... \
        --executor_input JSON --function_to_execute NAME

It puts this directory first on sys.path, so `import kfp` is Sluice's stand-in even where a real kfp is
installed (the real one runs with --kfp-runtime=pip); checks that every packages_to_install requirement is
already installed (nothing is installed here: missing ones fail the task with how to install them); writes
the source to ./ephemeral_component.py (the attempt's own directory, as KFP writes it to a mktemp dir); and
hands the remaining arguments to kfp.dsl.executor_main. Standard library only, Python 3.9+.
"""
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path[:1] != [HERE]:
    sys.path.insert(0, HERE)

# Bytecode of this package (and of the stdlib modules it imports) is cached under the user's cache
# directory, not in the source tree (read-only when installed, and a checkout must stay clean): compiling
# it on every start doubled a task's ~60 ms. Only while importing it; the component's imports then use
# their usual __pycache__ (see main).
_USER_PREFIX = sys.pycache_prefix
sys.pycache_prefix = os.path.join(
    os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache'), 'sluice', 'pycache')

from sluice_kfp_requirements import missing_requirements, requirement_problem_message  # noqa: E402


def split_arguments(argv):
    """(source, requirements, the rest): our own flags out, every other argument for executor_main."""
    source, requirements, rest = None, [], []
    index = 0
    while index < len(argv):
        arg = argv[index]
        if arg in ('--component_source', '--requirement') and index + 1 < len(argv):
            if arg == '--component_source':
                source = argv[index + 1]
            else:
                requirements.append(argv[index + 1])
            index += 2
            continue
        rest.append(arg)
        index += 1
    return source, requirements, rest


def main(argv):
    source, requirements, rest = split_arguments(argv)
    missing = missing_requirements(requirements)
    if missing:
        sys.stderr.write(requirement_problem_message(missing) + '\n')
        return 1
    if source is not None:
        module_path = os.path.join(os.getcwd(), 'ephemeral_component.py')
        with open(module_path, 'w', encoding='utf-8') as f:
            f.write(source)
        rest = ['--component_module_path', module_path] + rest
    os.environ['_KFP_RUNTIME'] = 'true'
    import kfp.dsl.executor  # noqa: F401  (imported now, so that it is cached with the rest of the package)
    from kfp.dsl.executor_main import executor_main
    sys.pycache_prefix = _USER_PREFIX
    executor_main(rest)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
