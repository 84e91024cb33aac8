"""The project script library with Ignition's semantics.

`project/scripts/<pkg>/<module>.py` becomes the module `<pkg>.<module>`, reached from any script by
its full dotted path without an import (`mes.counter.delta(...)`). `system` and the top-level
packages are globals of every module. A module's code runs once per load, on first use, so modules
may refer to each other in any order (a cycle sees the partly run module, as in Python).
Modules are not put in `sys.modules`: several gateways can live in one process.
"""
from __future__ import absolute_import, division, print_function

import io
import os
import types

from .errors import ProjectLoadError

__all__ = ["ScriptLibrary", "ScriptPackage", "compile_source"]


_COMPILED = {}


def compile_source(source, filename):
    """Compile script text, turning a SyntaxError into a ProjectLoadError naming file and line.

    Code objects are kept for the life of the process, keyed by file name and text: gateways
    started one after another (tests, scenarios, restarts) compile each script once, which matters
    on Jython, where compiling Python to Java bytecode is the slow part of a project start.
    """
    key = (filename, source)
    code = _COMPILED.get(key)
    if code is None:
        try:
            code = compile(source, filename, "exec")
        except SyntaxError as error:
            raise ProjectLoadError("%s:%s: %s" % (filename, error.lineno, error.msg))
        _COMPILED[key] = code
    return code


class ScriptPackage(object):
    """A package of the library: its modules and subpackages load on first attribute access."""

    def __init__(self, library, dotted, folder):
        self.__dict__["_library"] = library
        self.__dict__["_dotted"] = dotted
        self.__dict__["_folder"] = folder

    def _entries(self):
        names = {}
        for entry in sorted(os.listdir(self._folder)):
            full = os.path.join(self._folder, entry)
            if entry.endswith(".py") and not entry.startswith("_"):
                names[entry[:-3]] = full
            elif os.path.isdir(full) and not entry.startswith(("_", ".")):
                names[entry] = full
        return names

    def __getattr__(self, name):
        full = self._entries().get(name)
        if full is None:
            raise AttributeError("project library has no %s.%s" % (self._dotted, name))
        dotted = "%s.%s" % (self._dotted, name)
        if os.path.isdir(full):
            value = ScriptPackage(self._library, dotted, full)
            self.__dict__[name] = value
        else:
            value = self._library._load_module(self, name, dotted, full)
        return value

    def __dir__(self):
        return sorted(self._entries())

    def __repr__(self):
        return "<project package %s>" % self._dotted


class ScriptLibrary(object):
    """All packages under a scripts folder, with the globals every module receives."""

    def __init__(self, scripts_dir, shared_globals):
        self.scripts_dir = scripts_dir
        self.shared_globals = shared_globals
        self.packages = {}
        if os.path.isdir(scripts_dir):
            for entry in sorted(os.listdir(scripts_dir)):
                full = os.path.join(scripts_dir, entry)
                if os.path.isdir(full) and not entry.startswith(("_", ".")):
                    self.packages[entry] = ScriptPackage(self, entry, full)
        shared_globals.update(self.packages)

    def _load_module(self, package, name, dotted, filename):
        module = types.ModuleType(dotted)
        module.__dict__.update(self.shared_globals)
        module.__dict__["__file__"] = filename
        package.__dict__[name] = module
        with io.open(filename, encoding="utf-8") as handle:
            source = handle.read()
        try:
            exec(compile_source(source, filename), module.__dict__)
        except ProjectLoadError:
            del package.__dict__[name]
            raise
        except Exception as error:
            del package.__dict__[name]
            raise ProjectLoadError("%s: module code failed: %r" % (filename, error))
        return module

    def load_all(self):
        """Run every module once (what a gateway does on project start); returns their names."""
        loaded = []
        for name in sorted(self.packages):
            self._load_package(self.packages[name], loaded)
        return loaded

    def _load_package(self, package, loaded):
        for name in dir(package):
            value = getattr(package, name)
            if isinstance(value, ScriptPackage):
                self._load_package(value, loaded)
            else:
                loaded.append(value.__name__)

    def resolve(self, dotted):
        """The object at a dotted path such as "mes.counter.delta"."""
        parts = dotted.split(".")
        if parts[0] not in self.packages:
            raise ProjectLoadError("project library has no package %r (in %r)" % (parts[0], dotted))
        value = self.packages[parts[0]]
        for part in parts[1:]:
            value = getattr(value, part)
        return value
