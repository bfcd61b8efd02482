namespace LiveClassroom.Media;

/// <summary>
/// A subscriber's downlink estimate taken apart (docs/BANDWIDTH.md), for tracing what moved it: the delay- and loss-based
/// sides, the loss they saw, how often each cut the estimate, and the probes so far. Counters only grow.
/// </summary>
/// <param name="DelayBasedBps">The delay-based rate A (draft-ietf-rmcat-gcc-02 §5.5).</param>
/// <param name="LossBasedBps">The loss-based rate As (§6).</param>
/// <param name="LossFraction">The loss the estimator last measured (0–1), probes' own packets included.</param>
/// <param name="ReceivedBps">R_hat: what the subscriber received over the last half second.</param>
/// <param name="Usage">The over-use detector's state (Normal, Overusing, Underusing).</param>
/// <param name="WantedBps">What the next step up (or resuming video) needs; 0 when nothing is wanted.</param>
/// <param name="DelayCuts">Times over-use cut the delay-based rate.</param>
/// <param name="LossCuts">Times loss above 10 % cut the loss-based rate.</param>
/// <param name="Probes">Probe clusters started.</param>
/// <param name="ProbesValidated">Validating (step-up) probes accepted.</param>
/// <param name="ProbesRefused">Validating probes refused.</param>
/// <param name="LastProbeRefusal">Why the last validating probe was refused (null: accepted, or none).</param>
/// <param name="LastProbeTargetBps">The rate the last probe aimed at.</param>
/// <param name="Probing">A probe is sending or waiting for its feedback.</param>
public sealed record MediaBandwidthTrace(
    long DelayBasedBps,
    long LossBasedBps,
    double LossFraction,
    long ReceivedBps,
    string Usage,
    long WantedBps,
    int DelayCuts,
    int LossCuts,
    int Probes,
    int ProbesValidated,
    int ProbesRefused,
    string? LastProbeRefusal,
    long LastProbeTargetBps,
    bool Probing);
