using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Transport;

// Why batches (issue #17, measured with the workers benchmark, README "Across workers"): a large room's fan-out is
// split over the fan-out lanes, and each split costs a wake-up and a wait. When a worker falls behind, its socket holds
// a backlog of the same publisher's RTP; handing that burst to the sink in one call lets the room pay the split once
// per burst instead of once per packet. Nothing waits for a batch to fill: at real rate a batch is mostly one datagram.
internal sealed partial class UdpTransport
{
    /// <summary>
    /// Dispatches a receive thread's batch in arrival order. Consecutive RTP datagrams routed to the same sink go to it
    /// in one <see cref="IPacketSink.OnRtpBatch"/> call; everything else one datagram at a time, as before.
    /// </summary>
    private void DispatchBatch(DatagramBatch batch, Socket? local, ConcurrentDictionary<SocketAddress, Route> routes)
    {
        var i = 0;
        while (i < batch.Count)
        {
            var end = i + 1;
            var route = batch.Count > 1 ? RtpRoute(batch, i, routes) : null;
            if (route is not null)
            {
                while (end < batch.Count && RtpRoute(batch, end, routes) is { } next && ReferenceEquals(next.Sink, route.Sink))
                {
                    end++;
                }
            }
            if (route is not null && end - i > 1)
            {
                DeliverRtpRun(batch, i, end - i, route);
            }
            else
            {
                DispatchGuarded(batch.Packet(i), batch.From(i), null, local, routes);
            }
            i = end;
        }
    }

    /// <summary>The route of an RTP datagram from a routed address long enough to be RTP; null for anything else (no counting).</summary>
    private static Route? RtpRoute(DatagramBatch batch, int index, ConcurrentDictionary<SocketAddress, Route> routes)
    {
        var packet = batch.Packet(index);
        if (PacketClassifier.Classify(packet) != PacketKind.Rtp || !PacketClassifier.HasMinimumLength(PacketKind.Rtp, packet.Length))
        {
            return null;
        }
        return routes.TryGetValue(batch.From(index), out var route) ? route : null;
    }

    private void DeliverRtpRun(DatagramBatch batch, int start, int count, Route route)
    {
        for (var i = 0; i < count; i++)
        {
            Counters.Deliver(PacketKind.Rtp);
        }
        lock (route.Sink)
        {
            try
            {
                route.Sink.OnRtpBatch(batch, start, count, route.Remote);
            }
#pragma warning disable CA1031 // One faulty peer handler must not stop the receive thread for every other peer.
            catch (Exception)
#pragma warning restore CA1031
            {
                Counters.Drop(TransportDropReason.SinkError);
            }
        }
    }
}
