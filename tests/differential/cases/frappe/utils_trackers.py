from frappe.utils import add_trackers_to_url, parse_and_map_trackers_from_url, map_trackers

print(add_trackers_to_url("https://example.com/page", "newsletter"))
print(add_trackers_to_url("https://example.com/page?a=1&utm_source=old&b=&c#frag", "Google Ads", "Summer Sale", "cpc", "banner 1"))
print(add_trackers_to_url("HTTP://Example.com/p;x?q=a+b%20c", "src/é"))
print(add_trackers_to_url("mailto:someone@example.com", "news"), add_trackers_to_url("/relative/path", "x", medium="email"))
print(add_trackers_to_url("https://example.com", None), add_trackers_to_url("https://example.com?x=1", 12))
print(parse_and_map_trackers_from_url("https://a.com/?utm_source=Google&utm_medium=cpc&campaign=Big+Sale&content=c1&x=y"))
print(parse_and_map_trackers_from_url("https://a.com/"), parse_and_map_trackers_from_url("https://a.com/?source=s&utm_source="))
print(map_trackers({"source": "a", "utm_medium": "", "medium": "m", "campaign": "c", "utm_content": "x"}))
try:
    map_trackers({"utm_source": 5})
except AttributeError as e:
    print("AttributeError", e)
