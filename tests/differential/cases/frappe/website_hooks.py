print(frappe.website.abs_url("files/a.png"), frappe.website.abs_url("/x"), frappe.website.abs_url("https://a.b/c"))
print(frappe.website.abs_url("tel:123"), frappe.website.abs_url("data:x"), frappe.website.abs_url(""), frappe.website.abs_url(None))
et = frappe.website.extract_title
print(et("<!-- title: My Page -->\n<h1>Other</h1>", "x/y.html"))
print(et("<div><h1>  Hello world </h1></div>", "x/y.html"))
print(et("<h1>{{ title }}</h1>", "docs/user_guide-intro.md"))
print(et("<p>none</p>", "/a/b/my_page-name.v2.html"))
print(et("<!-- title:  -->", "a/b/"), et("<!-- title: x y --> z", "p"), et("<!-- title: a > b -->", "it's here"))
print(et("<h1>" + "x" * 400, "p")[-5:], len(et("<h1>" + "x" * 400, "p")))
print(frappe.get_hooks(), frappe.get_hooks("doc_events"), frappe.get_hooks("x", {}), frappe.get_hooks("x", None))
print(frappe.get_hooks("x", default=5), frappe.get_hooks("x", "_KEEP_DEFAULT_LIST"), frappe.get_hooks(None, 3))
h = frappe.get_hooks("app_include_js")
h.append("a.js")
print(frappe.get_hooks("app_include_js"))
try:
    frappe.get_hooks("x", app_name="erpnext")
except ImportError as e:
    print("ImportError", e)
try:
    et(None, "p")
except TypeError as e:
    print("TypeError")
