using System.Globalization;
using System.Net;
using System.Text;

namespace LiveClassroom.Server.Research;

/// <summary>A lesson report as one self-contained, printable zh-CN HTML page (no scripts, no external assets).</summary>
public static class ReportHtmlRenderer
{
    private const string Css = """
        body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em auto; max-width: 60em; color: #222; }
        h1 { font-size: 1.5em; margin-bottom: .2em; } h2 { font-size: 1.15em; border-bottom: 1px solid #999; padding-bottom: .2em; margin-top: 1.6em; }
        .meta { color: #555; } table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #999; padding: .35em .6em; text-align: left; }
        th { background: #eee; } td.num { text-align: right; font-variant-numeric: tabular-nums; } .total { font-size: 1.2em; font-weight: bold; }
        ol.comments li { margin: .3em 0; } .time { font-family: monospace; margin-right: .5em; } .author { color: #555; margin-right: .5em; }
        @media print { body { margin: 0; max-width: none; font-size: 11pt; } a { color: inherit; text-decoration: none; } a[href]::after { content: ""; }
          h2 { break-after: avoid; } tr, li { break-inside: avoid; } .noprint { display: none; } }
        @page { size: A4; margin: 18mm 15mm; }
        """;

    /// <summary>The exact text of the page's one &lt;style&gt; element, which the CSP allows by its hash (Hosting/SecurityHeaders).</summary>
    public const string StyleText = "\n" + Css;

    public static string Render(LessonReport r, string stageName)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
          .Append(E($"评课报告 · {r.Lesson.Title}")).Append("</title>\n<style>").Append(StyleText).Append("</style>\n</head>\n<body>\n");
        sb.Append("<h1>评课报告：").Append(E(r.Lesson.Title)).Append("</h1>\n<p class=\"meta\">教研活动：").Append(E(r.SessionTitle))
          .Append(" · 学科：").Append(E(r.Subject)).Append(" · 学段：").Append(E(stageName));
        if (r.Lesson.Chapter.Length > 0)
        {
            sb.Append(" · 课题：").Append(E(r.Lesson.Chapter));
        }
        if (r.Lesson.TeacherName.Length > 0)
        {
            sb.Append(" · 授课教师：").Append(E(r.Lesson.TeacherName));
        }
        sb.Append("</p>\n<p class=\"meta\">评价表：").Append(E(r.RubricName)).Append("（每项 ").Append(r.ScaleMin).Append('–').Append(r.ScaleMax)
          .Append(" 分）· 评分人数：").Append(r.Scores.SheetCount).Append(" · 生成时间：")
          .Append(E(r.GeneratedAt.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture))).Append("（北京时间）");
        if (r.SessionStatus != "ended")
        {
            sb.Append(" · <strong>活动尚未结束，本报告为阶段性结果</strong>");
        }
        sb.Append("</p>\n<h2>各维度得分</h2>\n<table>\n<thead><tr><th>评价维度</th><th>权重</th><th>人数</th><th>平均分</th><th>最低</th><th>最高</th><th>标准差</th></tr></thead>\n<tbody>\n");
        foreach (var c in r.Scores.Criteria)
        {
            sb.Append("<tr><td>").Append(E(c.Name)).Append("</td><td class=\"num\">").Append(N(c.Weight)).Append("</td><td class=\"num\">").Append(c.Count)
              .Append("</td><td class=\"num\">").Append(N(c.Mean)).Append("</td><td class=\"num\">").Append(N(c.Min)).Append("</td><td class=\"num\">")
              .Append(N(c.Max)).Append("</td><td class=\"num\">").Append(N(c.StdDev)).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n<p class=\"total\">加权总分（满分 100）：").Append(N(r.Scores.WeightedTotal)).Append("</p>\n");
        if (!r.Scores.Complete)
        {
            sb.Append("<p class=\"meta\">注：部分维度尚无评分，总分按已评维度的权重折算。</p>\n");
        }
        sb.Append("<h2>评课意见（按课堂时间）</h2>\n");
        if (r.Comments.Count == 0)
        {
            sb.Append("<p class=\"meta\">暂无评课意见。</p>\n");
        }
        else
        {
            sb.Append("<ol class=\"comments\">\n");
            foreach (var c in r.Comments)
            {
                sb.Append("<li>");
                if (c.Link is not null)
                {
                    sb.Append("<a class=\"time\" href=\"").Append(E(c.Link)).Append("\">").Append(E(c.Timecode)).Append("</a>");
                }
                else
                {
                    sb.Append("<span class=\"time\">").Append(E(c.Timecode)).Append("</span>");
                }
                sb.Append("<span class=\"author\">").Append(E(c.AuthorName)).Append("</span>").Append(E(c.Body)).Append("</li>\n");
            }
            sb.Append("</ol>\n");
        }
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);

    private static string N(double? v) => v is { } d ? d.ToString("0.##", CultureInfo.InvariantCulture) : "—";
}
