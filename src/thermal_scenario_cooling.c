/*
 * thermal_scenario_cooling.c — the cooling hardware of a `thermal:`
 * section: a cold plate's coolant (cooling.top.coolant), an air heat sink
 * with its fans (cooling.top.heat_sink) and microchannel layers
 * (stack[].channels).  Parsed and checked here; the models are
 * src/thermal_coolant.c, src/thermal_sink.c and src/thermal_channel.c.
 */
#include "thermal_bind.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    double width_um, pitch_um, flow_l_per_min, flow_ml_per_min_per_channel, inlet_c, eta;
    int axis;
} channels_t;
static const cp_field channel_fields[] = {
    {"width_um", CP_F_NUM, offsetof(channels_t, width_um), 0, true, 1, 1e5, NULL},
    {"pitch_um", CP_F_NUM, offsetof(channels_t, pitch_um), 0, true, 1, 1e5, NULL},
    {"flow_l_per_min", CP_F_NUM, offsetof(channels_t, flow_l_per_min), 0, false, 1e-6, 1e3, NULL},
    {"flow_ml_per_min_per_channel", CP_F_NUM, offsetof(channels_t, flow_ml_per_min_per_channel),
     0, false, 1e-6, 1e4, NULL},
    {"direction", CP_F_ENUM, offsetof(channels_t, axis), 0, false, 0, 0, "x|y"},
    {"inlet_c", CP_F_NUM, offsetof(channels_t, inlet_c), 0, true, -50, 200, NULL},
    {"pump_efficiency", CP_F_NUM, offsetof(channels_t, eta), 0, true, 1e-3, 1, NULL},
};

/* stack[].channels: {fluid, width_um, pitch_um, flow_l_per_min (per cavity)
 * or flow_ml_per_min_per_channel, direction, inlet_c, pump_efficiency}; the
 * channels are as tall as the layer, which holds no parts, dies or blocks. */
int cp_tbind_channels(const cp_catalog *cat, cp_pool *pool, const cp_node *l,
                         const cp_thermal_spec *t, cp_tlayer *L, cp_error *err)
{
    const cp_node *n = cp_node_get(l, "channels");
    if (!n)
        return 0;
    char what[96];
    snprintf(what, sizeof what, "channels of layer '%s'", L->name);
    if (n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "'channels' of layer '%s' must be a mapping", L->name);
    static const char *const extra[] = {"fluid", "note", NULL};
    channels_t v = {0};
    cp_channels *c = &L->channels;
    if (cp_tbind_map(n, what, channel_fields, N(channel_fields), &v, extra, err) ||
        cp_tbind_material(cat, pool, n, "fluid", true, &c->fluid, err))
        return -1;
    bool per_cavity = cp_node_get(n, "flow_l_per_min"),
         per_channel = cp_node_get(n, "flow_ml_per_min_per_channel");
    if (per_cavity == per_channel)
        return cp_node_fail(err, n, "%s need exactly one of flow_l_per_min (the layer's) "
                                    "or flow_ml_per_min_per_channel", what);
    if (!(v.width_um < v.pitch_um))
        return cp_node_fail(err, cp_param_value_node(cp_node_get(n, "width_um")),
                            "%s: width_um %g must be less than pitch_um %g (a wall between "
                            "channels)", what, v.width_um, v.pitch_um);
    if (!(c->fluid.density_kg_per_m3 > 0 && c->fluid.viscosity_pa_s > 0))
        return cp_node_fail(err, cp_node_get(n, "fluid"), "%s: the fluid '%s' needs "
                            "density_kg_per_m3 and viscosity_pa_s (a liquid of the "
                            "materials catalog, e.g. water)", what, c->fluid.name);
    if (L->nparts || cp_node_get(l, "die_material"))
        return cp_node_fail(err, n, "layer '%s' has channels: it takes no parts or "
                                    "die_material (its material is the walls)", L->name);
    c->on = true;
    c->width_m = v.width_um * 1e-6;
    c->pitch_m = v.pitch_um * 1e-6;
    c->axis = v.axis;
    double across = c->axis ? t->size_x_m : t->size_y_m;
    c->flow_m3_per_s = per_cavity ? v.flow_l_per_min * 1e-3 / 60
                                  : v.flow_ml_per_min_per_channel * 1e-6 / 60 * across /
                                    c->pitch_m;
    c->inlet_c = v.inlet_c;
    c->pump_efficiency = v.eta;
    return 0;
}

/* The flow each cavity's geometry gives must be one the correlations hold
 * for (laminar): checked with the spec complete, at its channels entry. */
int cp_tcheck_channels(const cp_node *th, const cp_thermal_spec *t, cp_error *err)
{
    const cp_node *st = cp_node_get(th, "stack");
    for (size_t l = 0; l < t->nlayers; l++) {
        if (!t->layer[l].channels.on)
            continue;
        cp_channel_flow fl;
        const cp_node *n = cp_node_get(st->items[l], "channels");
        if (cp_channel_flow_eval(t, (int)l, &fl, err)) {
            /* geometry and fluid are checked when bound: the flow's fault */
            const cp_node *at = cp_node_get(n, "flow_l_per_min");
            at = at ? at : cp_node_get(n, "flow_ml_per_min_per_channel");
            char msg[sizeof err->msg];
            cp_strlcpy(msg, err->msg, sizeof msg);
            return cp_node_fail(err, cp_param_value_node(at), "%s", msg);
        }
        for (size_t b = 0; b < t->nblocks; b++)
            if (t->block[b].layer == (int)l)
                return cp_node_fail(err, cp_node_get(cp_node_get(th, "blocks")->items[b],
                                                     "layer"),
                                    "block '%s' is on layer '%s', which has channels: put "
                                    "it on a solid layer", t->block[b].name,
                                    t->layer[l].name);
    }
    return 0;
}

typedef struct { double flow_l_per_min; int axis; } coolant_t;
static const cp_field coolant_fields[] = {
    {"flow_l_per_min", CP_F_NUM, offsetof(coolant_t, flow_l_per_min), 0, true, 1e-6, 1e4, NULL},
    {"direction", CP_F_ENUM, offsetof(coolant_t, axis), 0, false, 0, 0, "x|y"},
};

/* cooling.top.coolant: {fluid: MATERIAL, flow_l_per_min, direction: x|y} */
int cp_tbind_coolant(const cp_catalog *cat, cp_pool *pool, const cp_node *n,
                        cp_coolant *out, cp_error *err)
{
    if (n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "'cooling.top.coolant' must be a mapping "
                                    "{fluid, flow_l_per_min, direction}");
    coolant_t v = {0};
    static const char *const extra[] = {"fluid", "note", NULL};
    if (cp_tbind_map(n, "cooling.top.coolant", coolant_fields, N(coolant_fields), &v, extra,
                 err) ||
        cp_tbind_material(cat, pool, n, "fluid", true, &out->fluid, err))
        return -1;
    out->flow_m3_per_s = v.flow_l_per_min * 1e-3 / 60;
    out->axis = v.axis;
    return 0;
}

typedef struct { double flow, r, dp; } sinkpt_t;
static const cp_field sink_point_fields[] = {
    {"airflow_m3_per_min", CP_F_NUM, offsetof(sinkpt_t, flow), 0, true, 0, 1e4, NULL},
    {"resistance_k_per_w", CP_F_NUM, offsetof(sinkpt_t, r), 0, true, 1e-6, 1e3, NULL},
    {"pressure_pa", CP_F_NUM, offsetof(sinkpt_t, dp), 0, true, 0, 1e5, NULL},
};
static const cp_field fan_point_fields[] = {
    {"airflow_m3_per_min", CP_F_NUM, offsetof(sinkpt_t, flow), 0, true, 0, 1e4, NULL},
    {"pressure_pa", CP_F_NUM, offsetof(sinkpt_t, dp), 0, true, 0, 1e5, NULL},
};

/* A curve: 2..CP_SINK_POINTS points {airflow_m3_per_min, ...}, airflow
 * rising, pressure rising (the sink) or falling (the fan). */
static int bind_curve(const cp_node *hs, const char *key, bool fan, cp_heatsink *s,
                      cp_error *err)
{
    const cp_node *c = cp_node_get(hs, key);
    if (!c || c->kind != CP_NODE_SEQ || c->n < 2 || c->n > CP_SINK_POINTS)
        return cp_node_fail(err, c ? c : hs, "heat_sink needs '%s': a list of 2..%d points "
                                             "{airflow_m3_per_min, %s}", key, CP_SINK_POINTS,
                            fan ? "pressure_pa" : "resistance_k_per_w, pressure_pa");
    for (size_t i = 0; i < c->n; i++) {
        sinkpt_t v = {0};
        char what[64];
        snprintf(what, sizeof what, "point %zu of %s", i + 1, key);
        if (cp_tbind_map(c->items[i], what, fan ? fan_point_fields : sink_point_fields,
                     fan ? N(fan_point_fields) : N(sink_point_fields), &v,
                     (const char *const[]){"note", NULL}, err))
            return -1;
        double *q = fan ? s->fan_flow_m3_per_s : s->sink_flow_m3_per_s;
        double *p = fan ? s->fan_dp_pa : s->sink_dp_pa;
        q[i] = v.flow / 60;
        p[i] = v.dp;
        if (!fan)
            s->sink_r_k_per_w[i] = v.r;
        if (i > 0 && !(q[i] > q[i - 1]))
            return cp_node_fail(err, c->items[i], "%s: airflow must rise from point to "
                                                  "point", key);
        if (i > 0 && (fan ? p[i] > p[i - 1] : p[i] < p[i - 1]))
            return cp_node_fail(err, c->items[i], "%s: pressure must %s with airflow", key,
                                fan ? "fall" : "rise");
    }
    if (fan)
        s->nfan = c->n;
    else
        s->nsink = c->n;
    return 0;
}

typedef struct { double fans, fan_power_w; } sink_t;
static const cp_field sink_fields[] = {
    {"fans", CP_F_INT, offsetof(sink_t, fans), 0, true, 1, 64, NULL},
    {"fan_power_w", CP_F_NUM, offsetof(sink_t, fan_power_w), 0, true, 0, 1e4, NULL},
};

/* cooling.top.heat_sink: {fans, fan_power_w, fan_curve: [...], sink_curve: [...]} */
int cp_tbind_heatsink(const cp_node *n, cp_heatsink *s, cp_error *err)
{
    if (n->kind != CP_NODE_MAP)
        return cp_node_fail(err, n, "'cooling.top.heat_sink' must be a mapping");
    sink_t v = {0};
    static const char *const extra[] = {"fan_curve", "sink_curve", "note", NULL};
    if (cp_tbind_map(n, "cooling.top.heat_sink", sink_fields, N(sink_fields), &v, extra, err) ||
        bind_curve(n, "sink_curve", false, s, err) || bind_curve(n, "fan_curve", true, s, err))
        return -1;
    s->fans = (int)v.fans;
    s->fan_power_w = v.fan_power_w;
    s->on = true;
    cp_sink_point op;
    if (cp_heatsink_eval(s, &op, err)) { /* the curves must cross */
        char msg[sizeof err->msg];
        cp_strlcpy(msg, err->msg, sizeof msg);
        return cp_node_fail(err, cp_node_get(n, "fan_curve"), "%s", msg);
    }
    return 0;
}
