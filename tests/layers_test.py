#!/usr/bin/env python3
"""The folders are layers, bottom to top: core, config, feeds, widgets, app.
A file may include headers of its own folder and of folders below it, never
above; no two files include each other; app/ never names a feed or widget
kind's private header (it goes through the ops in feed.h / widget.h).
Usage: layers_test.py SRCDIR"""
import os
import re
import sys

LAYERS = ['core', 'config', 'feeds', 'widgets', 'app']
# app/ may include these headers of the layers below; a kind's own header
# (feeds/mqtt.h, widgets/gauge.h ...) is the kind's business.
# feeds/mqtt_link.h is no kind: the program's own MQTT client (remote control).
APP_MAY = {'config/config.h', 'config/schema.h', 'feeds/feed.h', 'feeds/mqtt_link.h', 'widgets/widget.h',
           'widgets/draw.h', 'widgets/status.h', 'widgets/text_cache.h'}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main():
    src = sys.argv[1]
    failures = []
    edges = {}
    for layer in LAYERS:
        d = os.path.join(src, layer)
        for name in sorted(os.listdir(d)):
            if not name.endswith(('.c', '.h')):
                continue
            me = layer + '/' + name
            with open(os.path.join(d, name)) as f:
                text = f.read()
            for inc in INCLUDE.findall(text):
                target = os.path.normpath(os.path.join(layer, inc))
                tl = target.split('/')[0]
                if tl not in LAYERS:
                    failures.append('%s includes "%s", outside the layers' % (me, inc))
                    continue
                if LAYERS.index(tl) > LAYERS.index(layer):
                    failures.append('%s includes %s: %s/ is above %s/ (layers: %s)'
                                    % (me, target, tl, layer, ' -> '.join(LAYERS)))
                if layer == 'app' and tl in ('feeds', 'widgets') and target not in APP_MAY:
                    failures.append('%s includes %s, a kind\'s own header: app/ goes through the ops' % (me, target))
                edges.setdefault(me, set()).add(target)
    # Two .c files that call each other: A includes B.h (B.c exists) and B
    # includes A.h (A.c exists). A shared state header with no .c of its
    # own (app/wall_state.h) is no call in either direction.
    def calls(a, b):
        """Whether unit a (a.c or a.h) includes b.h, and b.c exists."""
        if not os.path.exists(os.path.join(src, b + '.c')):
            return False
        return any(b + '.h' in edges.get(a + ext, ()) for ext in ('.c', '.h'))
    units = sorted({os.path.splitext(f)[0] for f in edges})
    for i, a in enumerate(units):
        for b in units[i + 1:]:
            if calls(a, b) and calls(b, a):
                failures.append('%s and %s include each other' % (a, b))
    for f in failures:
        print('FAIL: ' + f)
    print('layers: %s' % ('%d problem(s)' % len(failures) if failures else 'ok'))
    sys.exit(1 if failures else 0)


main()
