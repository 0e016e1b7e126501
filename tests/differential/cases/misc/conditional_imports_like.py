use_json = True
if use_json:
    out = json.dumps({"ok": use_json})
else:
    out = "no"
print(out)
