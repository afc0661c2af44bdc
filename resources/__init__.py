"""Files the app loads at run time: the icon and the default label set."""
