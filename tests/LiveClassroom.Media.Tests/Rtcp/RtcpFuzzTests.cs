using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Tests.Rtcp;

public sealed class RtcpFuzzTests
{
    private static byte[] Sample()
    {
        var buffer = new byte[600];
        var n = RtcpWriter.WriteSenderReport(buffer, 1, 2, 3, 4, 5, [new RtcpReportBlock(1, 2, 3, 4, 5, 6, 7)]);
        n += RtcpWriter.WriteSdesCname(buffer.AsSpan(n), 1, "abc"u8);
        n += RtcpWriter.WritePli(buffer.AsSpan(n), 1, 2);
        n += RtcpWriter.WriteFir(buffer.AsSpan(n), 1, 2, 3);
        n += RtcpWriter.WriteNack(buffer.AsSpan(n), 1, 2, [5, 6, 9, 40]);
        n += RtcpWriter.WriteRemb(buffer.AsSpan(n), 1, 1_000_000, [2]);
        n += RtcpWriter.WriteBye(buffer.AsSpan(n), [1]);
        var twcc = new TransportCcFeedbackBuilder();
        twcc.Reset(10, 1);
        twcc.TryAddReceived(10, 1_000_000);
        twcc.TryAddReceived(14, 1_030_000);
        twcc.TryAddReceived(15, 1_000_000);
        n += twcc.Write(buffer.AsSpan(n), 1, 2);
        return buffer.AsSpan(0, n).ToArray();
    }

    [Fact]
    public void Parsers_100kMalformedCompounds_NeverThrowAndReportFailures()
    {
        byte[][] samples = [Sample()];
        var twcc = new TransportCcPacket[65536];
        var lost = new ushort[1024];
        int malformed = 0, packets = 0;

        FuzzInputs.Run(4, 100_000, samples, (buffer, length) =>
        {
            var compound = buffer.AsSpan(0, length);
            var e = new RtcpCompoundEnumerator(compound);
            while (e.MoveNext())
            {
                packets++;
                var p = e.Current.Slice((ReadOnlySpan<byte>)compound);
                switch (e.Current.PacketType)
                {
                    case RtcpPacketType.SenderReport:
                        if (RtcpSenderReport.TryParse(p, out var sr))
                        {
                            for (var i = 0; i < sr.ReportCount; i++)
                            {
                                _ = RtcpSenderReport.GetReportBlock(p, i);
                            }
                        }
                        break;
                    case RtcpPacketType.ReceiverReport:
                        if (RtcpReceiverReport.TryParse(p, out var rr))
                        {
                            for (var i = 0; i < rr.ReportCount; i++)
                            {
                                _ = RtcpReceiverReport.GetReportBlock(p, i);
                            }
                        }
                        break;
                    case RtcpPacketType.SourceDescription:
                        var sdes = new RtcpSdesEnumerator(p);
                        while (sdes.MoveNext())
                        {
                        }
                        break;
                    case RtcpPacketType.Goodbye:
                        if (RtcpBye.TryGetSourceCount(p, out var count))
                        {
                            for (var i = 0; i < count; i++)
                            {
                                _ = RtcpBye.GetSsrc(p, i);
                            }
                            _ = RtcpBye.GetReason(p);
                        }
                        break;
                    default:
                        if (RtcpFeedbackHeader.TryParse(p, out var fb))
                        {
                            var fci = fb.Fci(p);
                            if (fb.IsNack)
                            {
                                _ = RtcpNack.Expand(fci, lost);
                            }
                            else if (fb.IsFir)
                            {
                                for (var i = 0; i < RtcpFir.EntryCount(fci); i++)
                                {
                                    _ = RtcpFir.GetEntry(fci, i);
                                }
                            }
                            else if (fb.IsApplicationLayer && RtcpRemb.TryParse(fci, out _, out var n))
                            {
                                for (var i = 0; i < n; i++)
                                {
                                    _ = RtcpRemb.GetSsrc(fci, i);
                                }
                            }
                            else if (fb.IsTransportCc)
                            {
                                _ = TransportCcFeedback.TryParse(fci, twcc, out _);
                            }
                        }
                        break;
                }
            }
            if (e.IsMalformed)
            {
                malformed++;
            }
        });

        Assert.True(malformed > 20_000, $"malformed {malformed}");
        Assert.True(packets > 100_000, $"packets {packets}");
    }
}
