"""`genba db upgrade|status`: apply and list migrations from the command line."""
import json

from harness.cli import main


def write_migrations(folder):
    migrations = folder / "db" / "migrations"
    migrations.mkdir(parents=True)
    (migrations / "0001_a.sql").write_text("CREATE TABLE a (id {{id}}, v TEXT);\n")
    (migrations / "0002_b.sql").write_text("CREATE TABLE b (id {{id}}, a_id BIGINT REFERENCES a (id));\n")
    return folder


def test_upgrade_applies_pending_migrations_and_reports_them_as_json(tmp_path, capsys):
    project = write_migrations(tmp_path / "project")
    url = "sqlite:///" + str(tmp_path / "x.db")
    assert main(["db", "upgrade", "--db", url, "--project", str(project), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == {"applied": ["0001_a", "0002_b"], "applied_now": ["0001_a", "0002_b"], "database": "genba",
                      "dialect": "sqlite", "pending": []}
    assert main(["db", "upgrade", "--db", url, "--project", str(project), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["applied_now"] == []


def test_status_lists_pending_migrations_in_text(tmp_path, capsys):
    project = write_migrations(tmp_path / "project")
    url = "sqlite:///" + str(tmp_path / "x.db")
    assert main(["db", "status", "--db", url, "--project", str(project)]) == 0
    assert capsys.readouterr().out == "pending  0001_a\npending  0002_b\n"


def test_a_changed_applied_migration_fails_with_exit_1_and_one_line(tmp_path, capsys):
    project = write_migrations(tmp_path / "project")
    url = "sqlite:///" + str(tmp_path / "x.db")
    main(["db", "upgrade", "--db", url, "--project", str(project)])
    capsys.readouterr()
    (project / "db" / "migrations" / "0001_a.sql").write_text("CREATE TABLE a (v TEXT);\n")
    assert main(["db", "upgrade", "--db", url, "--project", str(project)]) == 1
    assert capsys.readouterr().err == ("error: Migration 0001_a.sql was changed after it was applied "
                                       "(checksum %s, file %s); restore it and add a new migration instead.\n"
                                       % tuple(_checksums(project, url)))


def _checksums(project, url):
    from harness.core.db import DbService
    from harness.core.migrations import Migration
    service = DbService({"genba": url}, "genba")
    recorded = service.runScalarQuery("SELECT checksum FROM schema_migrations WHERE version = 1")
    service.close()
    path = project / "db" / "migrations" / "0001_a.sql"
    return [recorded[:12], Migration(1, "a", str(path), path.read_text()).checksum[:12]]


def test_db_without_a_verb_is_a_usage_error(capsys):
    assert main(["db"]) == 2
