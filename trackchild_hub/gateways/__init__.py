"""Alert gateways: how one alert leaves the hub (SMS over an HTTP gateway, e-mail over SMTP, signed webhooks).

Each takes a ``port.Delivery`` and either returns (the gateway accepted it) or raises ``port.DeliveryFailed``
(``permanent`` when trying again cannot help). Each sends the delivery's idempotency key, so a delivery repeated after
a dispatcher died mid-send is recognised by the receiver: an ``Idempotency-Key`` header over HTTP, the Message-ID
(and an ``Idempotency-Key`` header) in e-mail. ``build.gateways`` wires those the settings configure.
"""
