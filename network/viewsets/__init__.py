"""Wagtail admin views of the network core, one module per subject; `network.wagtail_hooks` registers them."""
