using System.Text.RegularExpressions;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Research.Contracts;

namespace LiveClassroom.Server.Research;

/// <summary>Input checks shared by the research endpoints; each failure names the field in English and Chinese.</summary>
public static partial class ResearchValidation
{
    public static readonly string[] SessionKinds = ["lesson_talk", "lesson_review", "same_lesson", "co_prepare", "mixed"];
    public static readonly string[] Stages = ["primary", "junior", "senior"];

    [GeneratedRegex("^[a-z0-9_]{1,40}$")]
    private static partial Regex CriterionKey();

    public static string Text(string? value, string field, string fieldZh, int max, bool required = true)
    {
        var v = value?.Trim() ?? "";
        if ((required && v.Length == 0) || v.Length > max)
        {
            throw ResearchApiException.BadRequest("invalid_" + field,
                required ? $"'{field}' is required and at most {max} characters." : $"'{field}' is at most {max} characters.",
                required ? $"“{fieldZh}”为必填项，且不超过 {max} 个字符。" : $"“{fieldZh}”不超过 {max} 个字符。");
        }
        return v;
    }

    public static string OneOf(string? value, IReadOnlyList<string> allowed, string field, string fieldZh)
    {
        if (value is null || !allowed.Contains(value))
        {
            throw ResearchApiException.BadRequest("invalid_" + field, $"'{field}' must be one of: {string.Join(", ", allowed)}.",
                $"“{fieldZh}”必须是以下之一：{string.Join("、", allowed)}。");
        }
        return value;
    }

    public static IReadOnlyList<SegmentRecord> Agenda(IReadOnlyList<SegmentInput>? segments)
    {
        if (segments is null || segments.Count is 0 or > 20)
        {
            throw ResearchApiException.BadRequest("invalid_segments", "The agenda needs 1 to 20 segments.", "议程需要 1 到 20 个环节。");
        }
        var list = new List<SegmentRecord>();
        for (var i = 0; i < segments.Count; i++)
        {
            var s = segments[i];
            var kind = OneOf(s.Kind, SegmentPlan.Kinds, "segments.kind", "环节类型");
            if (s.PlannedMinutes is not (>= 1 and <= 480))
            {
                throw ResearchApiException.BadRequest("invalid_segments", $"Segment {i + 1}: plannedMinutes must be 1 to 480.", $"第 {i + 1} 个环节：计划时长须为 1 到 480 分钟。");
            }
            list.Add(new SegmentRecord(i, kind, Text(s.Title, "segments.title", "环节名称", 100, required: false), s.PlannedMinutes.Value * 60, null, null));
        }
        return list;
    }

    public static Rubric Rubric(string? name, int? scaleMin, int? scaleMax, IReadOnlyList<CriterionInput>? criteria)
    {
        var n = Text(name, "name", "评价表名称", 200);
        if (scaleMin is not { } min || scaleMax is not { } max || min < 0 || max <= min || max > 100)
        {
            throw ResearchApiException.BadRequest("invalid_scale", "The scale needs 0 ≤ scaleMin < scaleMax ≤ 100.", "评分范围须满足 0 ≤ 最低分 < 最高分 ≤ 100。");
        }
        if (criteria is null || criteria.Count is 0 or > 20)
        {
            throw ResearchApiException.BadRequest("invalid_criteria", "A rubric needs 1 to 20 criteria.", "评价表需要 1 到 20 个评价维度。");
        }
        var list = new List<RubricCriterion>();
        foreach (var c in criteria)
        {
            if (c.Key is null || !CriterionKey().IsMatch(c.Key) || list.Any(x => x.Key == c.Key))
            {
                throw ResearchApiException.BadRequest("invalid_criteria", $"Criterion key '{c.Key}' must be unique, lower-case letters, digits or '_'.",
                    $"评价维度标识“{c.Key}”须唯一，且只含小写字母、数字或下划线。");
            }
            if (c.Weight is not (> 0 and <= 1000))
            {
                throw ResearchApiException.BadRequest("invalid_criteria", $"Criterion '{c.Key}': weight must be above 0 and at most 1000.", $"评价维度“{c.Key}”：权重须大于 0 且不超过 1000。");
            }
            list.Add(new RubricCriterion(c.Key, Text(c.Name, "criteria.name", "维度名称", 50), Text(c.Description, "criteria.description", "维度说明", 500, required: false), c.Weight.Value));
        }
        return new Rubric(n, min, max, list);
    }

    /// <summary>All or nothing: one bad score refuses the whole autosave, so what was saved before stays as it was.</summary>
    public static void Scores(Rubric rubric, IReadOnlyDictionary<string, double>? scores)
    {
        if (scores is null || scores.Count == 0)
        {
            throw ResearchApiException.BadRequest("invalid_scores", "Send at least one criterion score.", "请至少填写一项评分。");
        }
        foreach (var (key, value) in scores)
        {
            var criterion = rubric.Criteria.FirstOrDefault(c => c.Key == key)
                ?? throw ResearchApiException.BadRequest("unknown_criterion", $"'{key}' is not a criterion of this session's rubric.", $"“{key}”不是本次活动评价表中的维度。");
            if (!double.IsFinite(value) || value < rubric.ScaleMin || value > rubric.ScaleMax || Math.Abs(value * 2 - Math.Round(value * 2)) > 1e-9)
            {
                throw ResearchApiException.BadRequest("score_out_of_range",
                    $"The score for '{criterion.Name}' must be between {rubric.ScaleMin} and {rubric.ScaleMax} in steps of 0.5; got {value}.",
                    $"“{criterion.Name}”的分数须在 {rubric.ScaleMin} 到 {rubric.ScaleMax} 之间（以 0.5 为单位），收到 {value}。");
            }
        }
    }
}
