import pytest
URLS = ["/", "/victims/", "/victims/V-0001/", "/perpetrators/", "/perpetrators/P-0001/", "/perpetrators/P-0003/",
        "/sources/", "/sources/2/", "/events/", "/events/1988-massacre/", "/stats/", "/about/", "/data/",
        "/api/victims/", "/api/perpetrators/?q=raisi", "/api/sources/", "/api/victims/V-0001/", "/api/perpetrators/P-0001/",
        "/data/victims.csv", "/data/victims.json", "/sitemap.xml", "/sitemap-victims.xml"]
@pytest.mark.parametrize("lang", ["", "/fa"])
@pytest.mark.parametrize("url", URLS)
def test_smoke(client, seed, url, lang):
    if url.startswith("/api"):
        if lang: return
        lang = ""
    r = client.get(lang + url)
    assert r.status_code == 200, (url, r.status_code)
    body = b"".join(r.streaming_content) if r.streaming else r.content
    print(url, len(body))
