from frappe.utils import expand_relative_urls, scrub_urls, quote_urls

html = '<a href="/files/abc.jpeg">View</a> <img src=\'assets/x.png\'> <a href="https://frappe.io">x</a>'
print(expand_relative_urls(html))
print(scrub_urls('<a href="mailto:a@b.c">m</a><a href=tel:1>t</a><img src="data:image/png;base64,xx">'))
print(expand_relative_urls('<div style="background-image: url(\'/assets/bg.png\')"></div><p style="x:url(img/a.png); color: red">'))
print(expand_relative_urls('<div style="background:url(http://a.b/c.png)">'))
print(expand_relative_urls('href = "x y" src=\nhttp://a data-src="q" href=>'))
print(expand_relative_urls("no urls here"), expand_relative_urls(""))
print(quote_urls('<a href="https://frappe.io/files/my Image file.jpeg">x</a> <img src="http://a.b/ü?q=1&r=%20">'))
print(quote_urls('<a href=\'http://a.b/x y\'>x</a> href=http://c d> src="https"'))
