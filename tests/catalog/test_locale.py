"""Chinese first; English through Flask-Babel for those who ask."""


def test_pages_are_chinese_by_default(anon):
    html = anon.get("/").get_data(as_text=True)
    assert "金融继续教育学院" in html and 'lang="zh-CN"' in html


def test_an_english_browser_gets_english(anon):
    html = anon.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Finance CPE Academy" in html and 'lang="en"' in html


def test_the_language_choice_is_remembered(anon):
    anon.get("/?lang=en")
    assert "Finance CPE Academy" in anon.get("/").get_data(as_text=True)
    anon.get("/?lang=zh_CN")
    assert "金融继续教育学院" in anon.get("/").get_data(as_text=True)


def test_api_errors_follow_the_language(app, learner):
    response = app.test_client().post(
        "/api/v1/auth/login",
        json={"username": "learner1", "password": "nope"},
        headers={"Accept-Language": "en"},
    )
    assert response.get_json()["error"]["code"] == "invalid_credentials"
    assert "incorrect" in response.get_json()["error"]["message"].lower()
