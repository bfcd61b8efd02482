using System.Security.Claims;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Tests.Auth;

public sealed class AccessPolicyTests
{
    private static readonly Guid Province = Guid.NewGuid();
    private static readonly Guid City = Guid.NewGuid();
    private static readonly Guid County = Guid.NewGuid();
    private static readonly Guid OtherCounty = Guid.NewGuid();
    private static readonly Guid School = Guid.NewGuid();
    private static readonly Guid SiblingSchool = Guid.NewGuid();
    private static readonly Guid FarSchool = Guid.NewGuid();
    private static readonly Guid Classroom = Guid.NewGuid();

    private static AccessPolicy Policy()
    {
        var directory = new OrganisationDirectory();
        directory.Publish(new OrganisationTree(
        [
            new(Province, null, "province", "省", false),
            new(City, Province, "city", "市", false),
            new(County, City, "county", "县", false),
            new(OtherCounty, City, "county", "另一县", false),
            new(School, County, "school", "学校", false),
            new(SiblingSchool, County, "school", "村小", true),
            new(FarSchool, OtherCounty, "school", "远处的学校", true),
        ], [new(Classroom, SiblingSchool)], version: 1));
        return new AccessPolicy(directory, new PrincipalRevocations());
    }

    private static ClaimsPrincipal Person(params (string Role, Guid Org)[] roles)
    {
        var identity = new ClaimsIdentity("test", LcClaims.Name, LcClaims.Role);
        identity.AddClaim(new Claim(LcClaims.Subject, Guid.NewGuid().ToString()));
        identity.AddClaim(new Claim(LcClaims.Kind, LcClaims.KindPerson));
        identity.AddClaim(new Claim(LcClaims.Organisation, (roles.Length > 0 ? roles[0].Org : School).ToString()));
        foreach (var (role, org) in roles)
        {
            identity.AddClaim(new Claim(LcClaims.Role, $"{role}@{org}"));
        }
        return new ClaimsPrincipal(identity);
    }

    private static ClaimsPrincipal Device()
    {
        var identity = new ClaimsIdentity("test", LcClaims.Name, LcClaims.Role);
        identity.AddClaim(new Claim(LcClaims.Subject, Guid.NewGuid().ToString()));
        identity.AddClaim(new Claim(LcClaims.Kind, LcClaims.KindDevice));
        identity.AddClaim(new Claim(LcClaims.Organisation, SiblingSchool.ToString()));
        identity.AddClaim(new Claim(LcClaims.Classroom, Classroom.ToString()));
        identity.AddClaim(new Claim(LcClaims.TokenId, Guid.NewGuid().ToString()));
        return new ClaimsPrincipal(identity);
    }

    [Fact]
    public void AdministersOrganisation_CountyAdmin_CoversItsSchoolsButNotAnotherCountyOrAbove()
    {
        var policy = Policy();
        var admin = Person((Roles.CountyAdmin, County));

        Assert.True(policy.AdministersOrganisation(admin, County));
        Assert.True(policy.AdministersOrganisation(admin, School));
        Assert.True(policy.AdministersOrganisation(admin, SiblingSchool));
        Assert.False(policy.AdministersOrganisation(admin, FarSchool));
        Assert.False(policy.AdministersOrganisation(admin, City));
        Assert.False(policy.AdministersOrganisation(admin, Guid.NewGuid()));
    }

    [Fact]
    public void AdministersOrganisation_SchoolAdmin_OnlyTheirSchool()
    {
        var policy = Policy();
        var admin = Person((Roles.SchoolAdmin, School));

        Assert.True(policy.AdministersOrganisation(admin, School));
        Assert.False(policy.AdministersOrganisation(admin, SiblingSchool));
        Assert.False(policy.AdministersOrganisation(admin, County));
    }

    [Fact]
    public void AdministersOrganisation_Teacher_Nowhere()
    {
        var policy = Policy();

        Assert.False(policy.AdministersOrganisation(Person((Roles.LeadTeacher, School)), School));
        Assert.False(policy.AdministersOrganisation(Device(), SiblingSchool));
    }

    [Fact]
    public void HasRole_AdminRoleAtAncestor_CoversDescendant_TeacherRoleDoesNot()
    {
        var policy = Policy();

        Assert.True(policy.HasRole(Person((Roles.CityAdmin, City)), Roles.CityAdmin, SiblingSchool));
        Assert.True(policy.HasRole(Person((Roles.LeadTeacher, School)), Roles.LeadTeacher, School));
        Assert.False(policy.HasRole(Person((Roles.LeadTeacher, School)), Roles.LeadTeacher, SiblingSchool));
        Assert.False(policy.HasRole(Person((Roles.Researcher, County)), Roles.Researcher, School));
        Assert.False(policy.HasRole(Person((Roles.LeadTeacher, School)), Roles.AssistantTeacher, School));
    }

    [Fact]
    public void HasRoleAtOrAbove_CountyResearcher_CoversItsSchoolsOnly()
    {
        var policy = Policy();
        var researcher = Person((Roles.Researcher, County));

        Assert.True(policy.HasRoleAtOrAbove(researcher, Roles.Researcher, School));
        Assert.True(policy.HasRoleAtOrAbove(researcher, Roles.Researcher, County));
        Assert.False(policy.HasRoleAtOrAbove(researcher, Roles.Researcher, FarSchool));
        Assert.False(policy.HasRoleAtOrAbove(researcher, Roles.Researcher, City));
    }

    [Fact]
    public void IsAncestorOrSelf_FollowsTheTree()
    {
        var policy = Policy();

        Assert.True(policy.IsAncestorOrSelf(Province, FarSchool));
        Assert.True(policy.IsAncestorOrSelf(School, School));
        Assert.False(policy.IsAncestorOrSelf(School, County));
        Assert.False(policy.IsAncestorOrSelf(County, FarSchool));
        Assert.False(policy.IsAncestorOrSelf(Guid.NewGuid(), School));
    }

    [Fact]
    public void Identity_DeviceAndPerson_AreToldApart()
    {
        var policy = Policy();
        var device = Device();
        var person = Person((Roles.AssistantTeacher, SiblingSchool));

        Assert.True(policy.IsDevice(device));
        Assert.False(policy.IsPerson(device));
        Assert.Null(policy.PersonId(device));
        Assert.Equal(Classroom, policy.ClassroomId(device));
        Assert.Equal(SiblingSchool, policy.SchoolId(device));
        Assert.NotNull(policy.DeviceId(device));
        Assert.True(policy.IsPerson(person));
        Assert.Null(policy.DeviceId(person));
        Assert.Null(policy.ClassroomId(person));
        Assert.NotNull(policy.PersonId(person));
        Assert.Equal(SiblingSchool, policy.SchoolOfClassroom(Classroom));
        Assert.False(policy.IsPerson(new ClaimsPrincipal(new ClaimsIdentity())));
    }

    [Fact]
    public void Publish_OlderSnapshotAfterNewer_IsIgnored()
    {
        var directory = new OrganisationDirectory();
        directory.Publish(new OrganisationTree([new(Province, null, "province", "新", false)], version: 5));

        directory.Publish(new OrganisationTree([new(Province, null, "province", "旧", false)], version: 4));

        Assert.Equal("新", directory.Current.Find(Province)!.Name);
    }

    [Fact]
    public void IsRevoked_DeviceWhoseTokenIsRevoked_TrueOnlyForThatDevice()
    {
        var revocations = new PrincipalRevocations();
        var policy = new AccessPolicy(new OrganisationDirectory(), revocations);
        var revoked = Device();
        var other = Device();

        Assert.False(policy.IsRevoked(revoked));
        revocations.RevokeDeviceToken(policy.TokenId(revoked)!.Value);

        Assert.True(policy.IsRevoked(revoked));
        Assert.False(policy.IsRevoked(other));
        Assert.False(policy.IsRevoked(Person((Roles.LeadTeacher, School))));
    }
}
