/* app/align.h: the alignment pattern over the whole wall (G). Render thread. */
#ifndef PANTAU_ALIGN_H
#define PANTAU_ALIGN_H

struct wall;

/* Draws the pattern over every view: grid lines and the wall's diagonals
 * in canvas coordinates (straight across correctly set bezels), each
 * monitor framed and named with the node and output driving it. */
void align_draw(struct wall *w);

#endif
