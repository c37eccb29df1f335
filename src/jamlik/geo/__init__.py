"""Areas and their hierarchy: riket → län → kommun → district."""
