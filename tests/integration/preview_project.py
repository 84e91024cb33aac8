"""A small project for the preview tests: two memory tags, a named query and one view using each
binding kind, an event script, a message handler, navigation, an unsupported component and an
unsupported expression."""
import json
import os

TAGS = {"name": "", "tagType": "Provider", "tags": [{"name": "Test", "tagType": "Folder", "tags": [
    {"name": "Speed", "tagType": "AtomicTag", "valueSource": "memory", "dataType": "Float8", "value": 12.5},
    {"name": "State", "tagType": "AtomicTag", "valueSource": "memory", "dataType": "String", "value": "running"}]}]}


def label(name, binding=None, **props):
    node = {"type": "ia.display.label", "meta": {"name": name}, "props": dict({"text": ""}, **props)}
    if binding:
        node["propConfig"] = {"props.text": {"binding": binding}}
    return node


def button(name, script):
    return {"type": "ia.input.button", "meta": {"name": name}, "props": {"text": name},
            "events": {"component": {"onActionPerformed": {"type": "script", "scope": "G",
                                                           "config": {"script": script}}}}}


VIEW = {
    "params": {"member": "State"}, "custom": {"clicks": 0},
    "propConfig": {"params.member": {"paramDirection": "input", "persistent": True}},
    "props": {"defaultSize": {"width": 800, "height": 600}},
    "root": {"type": "ia.container.flex", "meta": {"name": "root"}, "props": {"direction": "column"}, "children": [
        label("Direct", {"type": "tag", "config": {"mode": "direct", "tagPath": "[default]Test/Speed"}}),
        label("Indirect", {"type": "tag", "config": {"mode": "indirect", "tagPath": "[default]Test/{m}",
                                                     "references": {"m": "{view.params.member}"}}}),
        label("Double", {"type": "expr", "config": {"expression": "{../Direct.props.text} * 2"}}),
        label("Param", {"type": "property", "config": {"path": "view.params.member"}}),
        label("Mapped", {"type": "tag", "config": {"mode": "direct", "tagPath": "[default]Test/State"},
                         "transforms": [{"type": "map", "inputType": "scalar", "fallback": "grey",
                                         "mappings": [{"input": "running", "output": "green"}]}]}),
        label("Scripted", {"type": "tag", "config": {"mode": "direct", "tagPath": "[default]Test/Speed"},
                           "transforms": [{"type": "script", "code": "\treturn 'speed %.1f' % value"}]}),
        label("Query", {"type": "query", "config": {"queryPath": "test/plus", "parameters": {"x": "{view.custom.clicks} + 40"},
                                                    "returnFormat": "json"},
                        "transforms": [{"type": "script", "code": "\treturn value[0]['v']"}]}),
        label("Bad", {"type": "expr", "config": {"expression": "dateFormat(now(), 'HH:mm')"}}),
        label("Missing", {"type": "tag", "config": {"mode": "direct", "tagPath": "[default]Test/Nope"}}),
        {"type": "ia.display.gauge", "meta": {"name": "Gauge"}, "props": {"value": 3}},
        label("Out"),
        dict(label("Counter"), scripts={"customMethods": [], "messageHandlers": [
            {"messageType": "bump", "pageScope": True, "sessionScope": False, "viewScope": False,
             "script": "\tself.props.text = 'bumped %s' % payload['n']"}]}),
        button("Click", "\tself.view.custom.clicks += 1\n"
                        "\tself.getSibling('Out').props.text = '%s clicked by %s' % (self.view.params.member, "
                        "self.session.props.auth.user.userName)\n"
                        "\tsystem.perspective.sendMessage('bump', {'n': self.view.custom.clicks})"),
        button("Go", "\tsystem.perspective.navigate(view='Test/Other', params={'member': 'Speed'})"),
        button("Popup", "\tsystem.perspective.openPopup('p1', 'Test/Other', params={'member': 'Speed'}, title='Other')"),
        button("Download", "\tsystem.perspective.download('x.csv', 'a,b')"),
        {"type": "ia.input.text-field", "meta": {"name": "Editor"}, "props": {"text": ""},
         "propConfig": {"props.text": {"binding": {"type": "tag", "config": {
             "mode": "indirect", "tagPath": "[default]Test/{m}", "references": {"m": "{view.params.member}"},
             "bidirectional": True}}}}},
    ]}}

OTHER = {"params": {"member": "Speed"}, "custom": {}, "propConfig": {},
         "root": {"type": "ia.container.flex", "meta": {"name": "root"}, "props": {}, "children": [
             label("Value", {"type": "tag", "config": {"mode": "indirect", "tagPath": "[default]Test/{m}",
                                                       "references": {"m": "{view.params.member}"}}})]}}


def write_project(root):
    """Write the project under `root` and return its path."""
    project = os.path.join(str(root), "project")
    files = {
        "project.json": {"title": "preview test", "description": "", "parent": "", "enabled": True, "inheritable": False},
        "tags/default/test.json": TAGS,
        "views/Test/Bindings/view.json": VIEW,
        "views/Test/Other/view.json": OTHER,
        "db/queries/test/plus.json": {"type": "Query", "database": "",
                                      "parameters": [{"identifier": "x", "sqlType": "Int4"}]},
    }
    for name, doc in files.items():
        path = os.path.join(project, *name.split("/"))
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as handle:
            json.dump(doc, handle)
    with open(os.path.join(project, "db", "queries", "test", "plus.sql"), "w") as handle:
        handle.write("SELECT :x + 2 AS v\n")
    os.makedirs(os.path.join(project, "scripts"), exist_ok=True)
    return project
