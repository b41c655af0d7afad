"""The builder of :func:`~iti_analytics.samples.generate_supply_world`, by entity."""
