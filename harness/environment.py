"""What this machine offers the harness: Java + Jython + JDBC jars, and whether CI demands them."""
from __future__ import absolute_import, division, print_function

import os
import shutil

__all__ = ["jython_classpath", "jython_command", "running_in_ci"]

JAR_DIR = os.environ.get("GENBA_JAVA_LIBS", "/usr/share/java")
JARS = ("jython.jar", "sqlite-jdbc.jar", "postgresql.jar")


def running_in_ci():
    """True when CI=true: optional components (Jython, PostgreSQL, Chromium) are then required."""
    return os.environ.get("CI", "").lower() == "true"


def jython_classpath():
    """The classpath for Jython with the JDBC drivers, or None when a jar is missing."""
    paths = [os.path.join(JAR_DIR, jar) for jar in JARS]
    if not all(os.path.exists(path) for path in paths):
        return None
    return os.pathsep.join(paths)


def jython_command():
    """The argv prefix that starts real Jython 2.7 with the JDBC drivers, or None.

    Debian's `jython` launcher runs `java -jar`, which ignores the classpath, so the harness starts
    the JVM itself.
    """
    java = shutil.which("java")
    classpath = jython_classpath()
    if java is None or classpath is None:
        return None
    return [java, "-Xss4m", "-cp", classpath, "-Dpython.console.encoding=UTF-8",
            "org.python.util.jython"]
