"""Whether a component's packages_to_install are already installed for this Python, without pip.

A requirement counts as installed when a module of its name is found (the cheap test), else when its
distribution is (importlib.metadata, slow to import: `scikit-learn` is found by its distribution name,
whatever it imports as). Version pins are
not enforced (the installed version runs; a different `==` pin prints a warning): installing is the
user's call, and --kfp-runtime=pip runs KFP's own pip install in the task instead.
"""
import importlib.util
import os
import re
import sys

_NAME = re.compile(r'^\s*([A-Za-z0-9][A-Za-z0-9._-]*)')
_MARKER = re.compile(r'''^\s*(python_version|python_full_version|sys_platform|platform_system|os_name)\s*'''
                     r'''(==|!=|<=|>=|<|>)\s*["']([^"']*)["']\s*$''')
# Common distributions whose module name is not the distribution name (only used when metadata is absent).
_MODULES = {'scikit-learn': 'sklearn', 'pyyaml': 'yaml', 'pillow': 'PIL', 'beautifulsoup4': 'bs4',
            'opencv-python': 'cv2', 'opencv-python-headless': 'cv2', 'python-dateutil': 'dateutil',
            'protobuf': 'google.protobuf'}


def _version_tuple(text):
    return tuple(int(part) for part in re.findall(r'\d+', text)[:3])


def _python_full_version():
    import platform  # only when a marker or a message needs it
    return platform.python_version()


def _marker_holds(marker):
    """PEP 508 markers of the simple form `name op "value"`, joined by `and`; anything else is assumed true."""
    import platform
    values = {'python_version': '%d.%d' % sys.version_info[:2], 'python_full_version': _python_full_version(),
              'sys_platform': sys.platform, 'platform_system': platform.system(), 'os_name': os.name}
    for clause in re.split(r'\s+and\s+', marker.strip()):
        match = _MARKER.match(clause)
        if not match:
            continue
        name, op, expected = match.groups()
        actual = values[name]
        if name.startswith('python'):
            actual, expected = _version_tuple(actual), _version_tuple(expected)
        holds = {'==': actual == expected, '!=': actual != expected, '<': actual < expected,
                 '<=': actual <= expected, '>': actual > expected, '>=': actual >= expected}[op]
        if not holds:
            return False
    return True


def requirement_name(requirement):
    match = _NAME.match(requirement)
    return match.group(1) if match else None


def _distribution_version(name):
    import importlib.metadata
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _module_found(name):
    module = _MODULES.get(name.lower(), name.replace('-', '_'))
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def missing_requirements(requirements):
    """The requirements (as written) that are not installed; warns on stderr about different `==` pins."""
    missing = []
    for requirement in requirements:
        spec, _, marker = requirement.partition(';')
        name = requirement_name(spec)
        if name is None or name.lower() == 'kfp' or (marker and not _marker_holds(marker)):
            continue  # kfp is this package; a marker for another Python does not apply
        pin = re.search(r'==\s*([^\s,;]+)', spec)
        found = _module_found(name)
        version = _distribution_version(name) if pin or not found else None
        if not found and version is None:
            missing.append(spec.strip())
            continue
        if pin and version and pin.group(1) != version:
            sys.stderr.write(f'sluice: {name} {version} is installed; the component asks for {spec.strip()}\n')
    return missing


def requirement_problem_message(missing):
    names = [requirement_name(r) for r in missing]
    quoted = ' '.join("'%s'" % r for r in missing)
    apt = ' '.join('python3-' + n.lower() for n in names)
    return (f"sluice: the component needs {', '.join(names)} (packages_to_install: {', '.join(missing)}), "
            f"not installed for {sys.executable} (Python {_python_full_version()}). "
            f"Install {'it' if len(names) == 1 else 'them'} for that Python: {sys.executable} -m pip install "
            f"{quoted} (or your OS packages, e.g. apt-get install {apt}); "
            f"or run with --kfp-runtime=pip to let the task pip-install them as KFP does.")
