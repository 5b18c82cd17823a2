"""Articles (资讯): industry news and commentary written by staff in Markdown."""
