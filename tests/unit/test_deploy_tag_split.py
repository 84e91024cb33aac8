"""Tag files merged into one provider export split back into exactly the same files."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from harness.exporter_format import dump_json
from harness.exporter_tags import merge_provider, provider_export, split_provider

NAMES = st.sampled_from(["Plant", "plant", "Line 1", "LINE 1", "Line 2", "Filler", "State",
                         "Count", "_types_", "OEE", "Speed Rate"])


@st.composite
def tag_files(draw):
    """2–4 files whose atomic tags never collide, sharing folders (any name case) freely."""
    used = set()

    def folder_items(prefix, depth):
        items, names = [], set()
        for name in draw(st.lists(NAMES, max_size=3)):
            if name.lower() in names:
                continue
            names.add(name.lower())
            key = prefix + (name.lower(),)
            if depth < 2 and draw(st.booleans()):
                folder = {"name": name, "tagType": "Folder"}
                if draw(st.booleans()):
                    folder["tooltip"] = "shared"  # one value: differing values are refused
                folder["tags"] = folder_items(key, depth + 1)
                items.append(folder)
            elif key not in used:
                used.add(key)
                items.append({"name": name, "tagType": "AtomicTag", "valueSource": "memory",
                              "dataType": "Int4", "value": draw(st.integers(0, 9))})
        return items

    files = {}
    for i in range(draw(st.integers(2, 4))):
        items = folder_items((), 0)
        # an atomic tag at a path another file uses as a folder would be a conflict: drop those
        shape = draw(st.sampled_from(["provider", "tags", "list"]))
        root = {"provider": provider_export(items), "tags": {"tags": items}, "list": items}[shape]
        files["f%d.json" % i] = root
    return files


def _conflict_free(files):
    try:
        merge_provider(files)
    except Exception:
        return False
    return True


@settings(max_examples=60, deadline=None)
@given(tag_files())
def test_split_of_the_merged_export_gives_back_every_file_byte_for_byte(files):
    if not _conflict_free(files):
        return
    existing = {name: (dump_json(root), json.loads(json.dumps(root))) for name, root in files.items()}
    merged = merge_provider({n: existing[n][1] for n in existing})
    exported = json.loads(dump_json(provider_export(merged)))
    result = split_provider(exported["tags"], existing)
    expected = {name: (data if _has_tags(root) else None) for name, (data, root) in existing.items()}
    assert result == expected


def _has_tags(root):
    items = root if isinstance(root, list) else root.get("tags", [])
    return bool(items)
