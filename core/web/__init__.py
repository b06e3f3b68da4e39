"""``bounceback serve``: the questionnaire and the plan as a local web page.

:mod:`.pages` writes the pages (plain functions of the questionnaire, the posted values and
the problems, no web framework needed); :mod:`.app` is the ASGI application that serves them
(Starlette, the ``web`` extra) behind a token and a Host check; :mod:`.server` binds it to
127.0.0.1 and runs it with uvicorn. Nothing is stored on the server: every page carries the
answers it needs in its own form fields.
"""
